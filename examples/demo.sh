#!/usr/bin/env bash
# Builds a demo customer book from the Excel-style CSVs beside this script, then shows it.
# Afterwards try: KEHU_DB=examples/demo.db KEHU_TODAY=2026-11-23 kehu followups   (or: kehu show hnkj)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export KEHU_DB="$here/demo.db"
rm -f "$KEHU_DB" "$KEHU_DB-wal" "$KEHU_DB-shm"
export KEHU_TODAY=2026-11-23   # the demo's Monday: touches and plans are laid out around it

kehu import customers "$here/customers.csv"     # UTF-8 with BOM, Chinese headers
kehu import contacts "$here/contacts.csv"       # GB18030, as Excel on Chinese Windows saves it
kehu import touches "$here/touches.csv"         # 跟进记录: UTF-8 with BOM, Chinese headers
"$here/plans.sh"                                # this week's visit plans (kehu plan …)
"$here/org.sh"                                  # 杭州海纳's organisation and relationship stages
"$here/funnel.sh"                               # stage moves, won and lost, contracts and payments
"$here/deals.sh"                                # rivals, needs, proposals and a quote (the deal room)
"$here/after_sale.sh"                           # credit checks, a collection promise, complaints, targets
kehu info
echo
echo "\$ kehu list --grade A"
kehu list --grade A --format table
echo
echo "\$ kehu show 杭州海纳"
kehu show 杭州海纳 --format table
echo
echo "\$ kehu list --grade B --format csv --columns name,owner,expected_value | head -4"
kehu list --grade B --format csv --columns name,owner,expected_value | head -4
echo
echo "\$ kehu followups today"
kehu followups today --format table
echo
echo "\$ kehu followups week"
kehu followups week --format table
echo
echo "\$ kehu report"
kehu report --format table
