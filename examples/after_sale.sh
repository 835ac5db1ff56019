#!/usr/bin/env bash
# The demo book after the contract (issue 17): credit checks before the big deals, a collection
# call with a promise, complaints from customers in 维护 (after-sale care), and this month's
# targets, each dated on the day it happened (kehu --today DAY). Run by demo.sh after deals.sh.
set -euo pipefail
: "${KEHU_DB:?run from demo.sh (KEHU_DB must point at the demo database)}"
on() { local day=$1; shift; kehu --today "$day" "$@" 2>/dev/null; }

# 信用审查 before signing: a sound private company, and a state body whose money is slow.
on 2026-11-10 credit 杭州海纳科技 --capital 5000万 --years 9 --history none --collection-days 60 \
    --limit 150万 --current-asset-ratio 210 --net-margin 12 --roa 8 --inventory-days 45 --receivable-days 70
on 2026-11-12 credit 西安高新区管委会 --years 20 --history slow --collection-days 120 --limit 200万 \
    --notes "财政拨款，专项债到位后付款"

# 天津津港 owes 80万, long overdue: the finance department promised half by the month's end.
on 2026-11-19 collect 天津津港建设 上门 --result "财务经理答应月底前先付一半" --promise 2026-11-30 40万

# 南京钟山 paid everything and is in 维护: a complaint raised and resolved, one still open.
on 2026-10-10 complaint add 南京钟山软件 "上线第一周报表导出慢" --severity 中
on 2026-10-12 complaint resolve 1 --resolution "加了索引，导出从两分钟降到十秒"
on 2026-11-18 complaint add 南京钟山软件 "新员工账号开通要等三天" --severity 高

# This month's targets: the book's, and 王磊's own.
on 2026-11-01 target set 2026-11 --amount 300万 --collect 200万 --new-customers 10 --touches-per-day 5
on 2026-11-01 target set 2026-11 --owner 王磊 --amount 150万 --collect 100万 --new-customers 4 --touches-per-day 4
