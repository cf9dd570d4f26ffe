#!/usr/bin/env bash
# The README's scenario-language block must be exactly what the command table generates
# (`quorumsim --help-markdown`). To refresh it after changing the table, replace the text
# between the BEGIN/END markers with that command's output.
set -euo pipefail
quorumsim=$1
readme=$2
want=$(mktemp)
got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
"$quorumsim" --help-markdown > "$want"
sed -n '/<!-- BEGIN quorumsim --help-markdown/,/<!-- END quorumsim --help-markdown -->/p' "$readme" \
    | sed '1d;$d' > "$got"
if ! diff -u "$got" "$want"; then
    echo "README.md's language block differs from 'quorumsim --help-markdown' (diff above: - README, + table)"
    exit 1
fi
echo "README language block matches the command table"
