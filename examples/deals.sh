#!/usr/bin/env bash
# The demo book's deal rooms (issue 16): who else is in each contested deal (竞争信息), the needs
# heard (挖掘需求), the proposals and the quote sent (呈现价值), and answers to the stage's
# questions, each dated on the day it happened (kehu --today DAY). Run by demo.sh after funnel.sh,
# whose `lost --to` names the rivals that took two deals.
set -euo pipefail
: "${KEHU_DB:?run from demo.sh (KEHU_DB must point at the demo database)}"
on() { local day=$1; shift; kehu --today "$day" "$@" 2>/dev/null; }

# 杭州海纳科技: the incumbent and a cheaper newcomer; four needs from three people; the proposal
# in two versions, then the quote (the expected value it sets is the one the card already had).
on 2026-09-10 rival add 杭州海纳科技 用友 --their-contact 刘经理 --since 2024-05-01 --share 60% --price 135万 \
    --strengths "老供应商，财务模块在用" --weaknesses "实施慢，二期拖了半年"
on 2026-10-08 rival add 杭州海纳科技 金蝶 --share 0 --price 110万 --strengths "报价低" \
    --weaknesses "没有制造业仓储案例"
on 2026-09-22 need add 杭州海纳科技 "年底前新仓库上线，库存实时可查" --kind 业务 --priority 高 --from 沈国强
on 2026-10-09 need add 杭州海纳科技 "与在用的用友财务系统对接" --kind 技术 --priority 高 --from 吴晓丽
on 2026-10-15 need add 杭州海纳科技 "分三期付款" --kind 商务 --priority 中 --from 钱伟
on 2026-10-15 need add 杭州海纳科技 "项目做成集团标杆，吴主任想报年度创新奖" --kind 个人 --priority 中 --from 吴晓丽
on 2026-10-28 proposal add 杭州海纳科技 --title 智能仓储方案 --amount 125万 --sent 2026-10-28
on 2026-11-12 proposal add 杭州海纳科技 --title 智能仓储方案 --amount 120万 --sent 2026-11-12
on 2026-11-16 quote add 杭州海纳科技 --amount 120万 --discount 4% --valid-until 2026-12-31 --sent 2026-11-16
on 2026-11-20 answer 杭州海纳科技 1 "沈总要了合同草稿，问了最快什么时候能进场"

# 西安高新区: a tender with one rival, the written requirement and the bid.
on 2026-10-20 rival add 西安高新区管委会 华为 --strengths "品牌，政府客户多" --weaknesses "只卖硬件，集成靠代理"
on 2026-11-02 need add 西安高新区管委会 "产品在信创目录内" --kind 技术 --priority 高 --from 曹雪
on 2026-11-10 proposal add 西安高新区管委会 --title 投标技术方案 --amount 168万 --sent 2026-11-10
on 2026-11-18 answer 西安高新区管委会 1 "优势：本地实施团队；劣势：价格高于华为 8%"

# Needs heard at two customers still early in the funnel.
on 2026-11-06 need add 苏州恒瑞精密 "换线后良率提到 98%" --kind 业务 --priority 高 --from 顾建华
on 2026-11-12 need add 合肥瀚海云 "三家比选，下月中旬前出结果" --kind 商务 --priority 中
on 2026-11-06 rival add 苏州恒瑞精密 台达 --share 30% --strengths "台资同乡" --weaknesses "交期长"

# Deals we won with a rival present.
on 2026-04-01 rival add 南京钟山软件 东软 --share 40% --strengths "省内项目多" --weaknesses "报价高"
on 2026-05-15 rival add 长沙湘江汽车零部件 用友 --share 20% --strengths "集团统采" --weaknesses "不懂汽配"
