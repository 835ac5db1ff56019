#!/usr/bin/env bash
# The demo book's funnel and money: stage moves with evidence, won and lost deals, contracts and
# payments, each dated on the day it happened (kehu --today DAY). Run by demo.sh after the imports.
set -euo pipefail
: "${KEHU_DB:?run from demo.sh (KEHU_DB must point at the demo database)}"
on() { local day=$1; shift; kehu --today "$day" "$@" 2>/dev/null; }

# Won last year and this: the old customers, now collecting or maintained, one with its next deal.
# 长沙湘江: 一期 (MES) won last year and paid in parts — 30% on signing, 60% a month after
# acceptance (partly paid, overdue), 10% kept a year; 二期 is the deal in the funnel now.
on 2025-08-01 advance 长沙湘江汽车零部件 5 --skip-evidence --evidence "一期MES方案通过，进入商务谈判"
on 2025-09-20 won 长沙湘江汽车零部件 --amount 80万
on 2025-09-20 contract add 长沙湘江汽车零部件 --amount 80万 --signed 2025-09-20 --number XJ-2025-01 \
    --schedule "30% 签约, 60% 验收后30天, 10% 质保1年"
on 2025-09-25 pay 长沙湘江汽车零部件 24万
on 2025-11-20 deliver XJ-2025-01 --note "一期MES上线"
on 2025-12-20 accept XJ-2025-01
on 2026-02-10 pay 长沙湘江汽车零部件 30万
on 2026-06-15 reopen 长沙湘江汽车零部件 --new-deal
on 2026-06-15 edit 长沙湘江汽车零部件 --expected-value 96万
on 2026-06-20 advance 长沙湘江汽车零部件 2 --evidence "二期项目立项，预算已批"
on 2026-07-02 advance 长沙湘江汽车零部件 3 --evidence "王总牵头，关系到位"
on 2026-07-23 advance 长沙湘江汽车零部件 4 --evidence "收到二期技术规格书"
on 2026-09-17 advance 长沙湘江汽车零部件 5 --evidence "报价后开始商务谈判"
on 2026-03-15 advance 南京钟山软件 4 --skip-evidence --evidence "招标文件已发"
on 2026-06-01 advance 南京钟山软件 5 --evidence "中标通知，进入合同谈判"
on 2026-06-20 won 南京钟山软件 --amount 78万
on 2026-06-20 contract add 南京钟山软件 --amount 78万 --signed 2026-06-20 --terms 60天 --number ZS-2026-01
on 2026-09-01 pay 南京钟山软件 78万
on 2026-05-10 advance 天津津港建设 4 --skip-evidence --evidence "三个分公司的需求书"
on 2026-07-20 won 天津津港建设 --amount 120万
on 2026-07-20 contract add 天津津港建设 --amount 120万 --signed 2026-07-20 --terms 货到付款 --number JG-2026-07
on 2026-08-10 pay 天津津港建设 40万

# In the funnel now.
on 2026-09-01 advance 杭州海纳科技 2 --evidence "工博会后确认年底有预算"
on 2026-09-25 advance 杭州海纳科技 3 --evidence "与沈总、吴主任建立信任"
on 2026-10-20 advance 杭州海纳科技 4 --evidence "收到书面采购需求"
on 2026-11-18 advance 杭州海纳科技 5 --evidence "对方要合同草稿，开始谈条款"
on 2026-10-05 advance 西安高新区管委会 2 --evidence "信息中心主任约谈"
on 2026-11-02 advance 西安高新区管委会 3 --evidence "拿到招标参数"
on 2026-11-16 advance 西安高新区管委会 4 --evidence "演示通过，等盖章"
on 2026-10-10 advance 苏州恒瑞精密 2 --evidence "林经理确认有换线需求"
on 2026-11-05 advance 苏州恒瑞精密 3 --evidence "收到设备清单"
on 2026-09-15 advance 无锡森田精工 2 --evidence "日方总部批准供应商评估"
on 2026-10-28 advance 无锡森田精工 3 --evidence "技术评估开始"
on 2026-10-12 advance 深圳ＡＢＣ电子 2 --evidence "陈总同意试用"
on 2026-10-15 advance 合肥瀚海云 2 --evidence "程总认可方案方向"
on 2026-11-10 advance 合肥瀚海云 3 --evidence "三家比选的需求文件"
on 2026-09-20 advance 武汉光谷芯辰 2 --evidence "POC 立项"
on 2026-08-20 advance 福建海峡农村商业银行 2 --evidence "信创适配名单沟通"
on 2026-10-30 advance 福建海峡农村商业银行 3 --evidence "收到信创适配要求"
on 2026-10-01 qualify 温州瓯江阀门 --need 是 --budget 否 --timetable 不确定 >/dev/null

# Lost, kept in the book.
on 2026-10-25 lost 济南齐鲁精细化工 --reason 价格 --to 金蝶 --detail "对手报价低 15%"
on 2026-09-05 lost 青岛胶州湾化学 --to 用友 --detail "集团统一采购，选了老供应商"
on 2026-07-12 lost 南京金陵建设 --reason 没有预算 --detail "项目暂停"
