#!/usr/bin/env bash
# The demo book's organisation and relationships (组织结构, 建立信任) at 杭州海纳科技: whom each
# person reports to, what they may approve, and how the relationship with each grew, each dated
# on the day it happened (kehu --today DAY). Run by demo.sh after the imports.
set -euo pipefail
: "${KEHU_DB:?run from demo.sh (KEHU_DB must point at the demo database)}"
on() { local day=$1; shift; kehu --today "$day" "$@" 2>/dev/null; }

on 2026-08-20 contact edit 杭州海纳科技 沈国强 --department 总经办 --years 15 --authority 合同审批 --authority-limit 200万
on 2026-08-20 contact edit 杭州海纳科技 吴晓丽 --department 信息中心 --reports-to 沈国强 --years 8 --authority 技术选型
on 2026-08-20 contact edit 杭州海纳科技 钱伟 --department 采购部 --reports-to 沈国强 --authority 采购下单 --authority-limit 30万
on 2026-08-20 contact edit 杭州海纳科技 孙浩然 --department 信息中心 --reports-to 吴晓丽 --years 2

on 2026-08-20 contact relate 杭州海纳科技 沈国强 认识 --reason "工博会上递了名片"
on 2026-08-20 contact relate 杭州海纳科技 吴晓丽 认识
on 2026-09-05 contact relate 杭州海纳科技 吴晓丽 约会 --reason "约了技术交流"
on 2026-09-12 contact relate 杭州海纳科技 沈国强 约会 --reason "一起吃饭，聊了钓鱼"
on 2026-09-22 contact relate 杭州海纳科技 吴晓丽 信赖 --reason "主动透露了预算范围"
on 2026-09-25 contact relate 杭州海纳科技 沈国强 信赖 --reason "同意推进立项"
on 2026-10-20 contact relate 杭州海纳科技 吴晓丽 同盟 --reason "帮我们写进了需求书"
on 2026-10-22 contact relate 杭州海纳科技 孙浩然 认识
