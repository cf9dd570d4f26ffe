#!/bin/sh
# Runs a Python 3 test script from the runfiles tree: python_test.sh SCRIPT [ARGS...]
exec python3 "$@"
