#!/usr/bin/env bash
# The piping use: select with `kehu list`, change with standard tools, feed back with `kehu import`.
#
# Example: every grade-C customer of owner 陈晨 in 浙江 goes to 李娜 (a territory change).
# TSV is the easy format for awk: kehu never puts a tab inside a name, and quotes what it must.
set -euo pipefail
export KEHU_DB="${KEHU_DB:-$(cd "$(dirname "$0")" && pwd)/demo.db}"

kehu list --grade C --owner 陈晨 --format tsv --columns name,owner \
  | awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } { $2 = "李娜"; print }' \
  | kehu import customers - --dry-run            # first see what would change …

kehu list --grade C --owner 陈晨 --format tsv --columns name,owner \
  | awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } { $2 = "李娜"; print }' \
  | kehu import customers -                      # … then do it, in one transaction

# And out to Excel: a BOM, CRLF and formula-safe cells, with Chinese headers for a Chinese user.
kehu list --owner 李娜 --format csv --excel --labels > "${TMPDIR:-/tmp}/李娜的客户.csv"
echo "wrote ${TMPDIR:-/tmp}/李娜的客户.csv" >&2
