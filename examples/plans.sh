#!/usr/bin/env bash
# This week's visit plans (走访计划表) for the demo book, written by generate_demo.py.
# Run after the customers, contacts and touches are imported, with KEHU_DB (and
# KEHU_TODAY=2026-11-23) exported, as demo.sh does.
set -euo pipefail
: "${KEHU_DB:?export KEHU_DB first (demo.sh does): these plans must not go into your own book}"

kehu plan 武汉光谷芯辰半导体有限公司 2026-11-24 \
    --purpose "POC中期报告汇报" \
    --contact 黎博文 \
    --people "陈晨、实施工程师" \
    --preparation "POC良率分析报告、生日小礼物" \
    --content "讲解一个月的良率数据，讨论推广到整厂" \
    --expected "黎总监同意向万董事长推荐" \
    --next-follow-up "12月初约万董事长"
kehu plan 苏州恒瑞精密机械有限公司 2026-11-25 \
    --purpose "技术交流，带样品" \
    --contact 林志明 \
    --people "李娜、售前工程师" \
    --preparation "样品两套、报价单" \
    --content "数据采集终端现场测试，ERP接口方案" \
    --expected "确认技术参数" \
    --next-follow-up "下周发正式报价"
kehu plan 温州瓯江阀门有限公司 2026-11-25 \
    --purpose "当面谈价格和付款方式" \
    --contact 林国伟 \
    --people "王磊" \
    --preparation "修改后的报价单、英文界面演示、生日茶礼" \
    --content "两期付款的节点，英文界面上线时间" \
    --expected "谈定价格，进入合同"
kehu plan 福建海峡农村商业银行股份有限公司 2026-11-26 \
    --purpose "送信创适配证明，需求文件定稿前沟通" \
    --contact 林晓峰 \
    --people "李娜、解决方案经理" \
    --preparation "信创适配证明、等保三级测评报告、数据安全方案" \
    --content "逐条过需求文件，了解竞争性磋商时间" \
    --expected "需求文件写入信创和等保要求" \
    --next-follow-up "12月初拜访郑行长"
kehu plan 天津津港建设集团有限公司 2026-11-27 \
    --purpose "汇报三个分公司的实施计划" \
    --contact 马骏 \
    --people "王磊、项目经理" \
    --preparation "实施计划、按分公司分开结算的报价" \
    --expected "李总同意，进入合同谈判" \
    --next-follow-up "12月第一周发合同草稿"
kehu plan 长沙湘江汽车零部件有限公司 2026-11-27 \
    --purpose "签二期合同" \
    --contact 王建军 \
    --people "陈晨" \
    --preparation "合同两份、二期实施计划" \
    --content "确认法务修改，签字盖章，约定启动会" \
    --expected "签合同，约定首付款" \
    --next-follow-up "12月初开项目启动会"
