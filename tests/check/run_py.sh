#!/bin/sh
# Runs a Python 3 test script from the runfiles tree: run_py.sh SCRIPT [ARGS...]
exec python3 "$@"
