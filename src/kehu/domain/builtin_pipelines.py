"""The three pipelines of the seeds (DOMAIN.md §4), as data: stage names, probabilities,
markers, questions and idle limits. The six-step key-account funnel is the default."""

from __future__ import annotations

from dataclasses import replace

from kehu.domain.stages import Pipeline, Stage

# --- the built-in pipelines ------------------------------------------------------------------

_Pair = tuple[str, str]  # (Chinese, English)


def _stage(
    key: str,
    name: _Pair,
    probability: float,
    max_idle_days: int,
    *,
    start: _Pair,
    end: _Pair,
    questions: tuple[_Pair, ...],
) -> Stage:
    # Written as (Chinese, English) pairs so each translation sits next to its seed wording.
    return Stage(
        key=key,
        zh=name[0],
        en=name[1],
        probability=probability,
        start_marker_zh=start[0],
        start_marker_en=start[1],
        end_marker_zh=end[0],
        end_marker_en=end[1],
        questions_zh=tuple(question[0] for question in questions),
        questions_en=tuple(question[1] for question in questions),
        max_idle_days=max_idle_days,
    )


# The seeds' wording throughout, with full-width punctuation: the seed texts carry ASCII
# punctuation only, a trace of their extraction, not how the wording is written.
# The markers, in seed 001's words. There each stage's start marker is the previous one's end
# marker, once with a small difference in wording (建立了/建立), kept as the seed has it.
_TARGET = ("锁定目标客户", "a target customer is chosen")
_OPPORTUNITY = (
    "发现明显、近在眼前的并且有价值的销售机会",
    "a clear, near, valuable sales opportunity is found",
)
_REQUIREMENTS = (
    "得到明确的客户需求（通常是书面采购要求或者招标书）",
    "clear customer requirements are obtained (usually written purchase requirements or a tender document)",
)
_BUYING_SIGNALS = ("客户露出购买信号，开始谈判", "the customer shows buying signals, negotiation starts")
_SIGNED = ("达成协议，签订合同", "agreement reached, contract signed")
_PAID = ("依照合同，回收全部账款", "all money collected as the contract says")

# Seed 001's test of a sales opportunity (判断销售机会, DOMAIN §5). The seed speaks of "five
# standards" but lists six; all six are asked.
_QUALIFY = (
    ("客户需要产品吗？", "Does the customer need the product?"),
    ("有采购时间表吗？", "Is there a purchase timetable?"),
    ("客户预算是多少？", "What is the customer's budget?"),
    ("是否能赢？", "Can we win?"),
    ("是否值得投入？", "Is it worth the investment?"),
    ("是否我们的擅长？", "Is it our strength?"),
)
_COMMIT_QUESTIONS = (
    ("客户露出了哪些购买信号？", "What buying signals has the customer shown?"),
    (
        "用哪种方法促成交易：选择法、促销法还是直接建议法？",
        "How do we close: offer a choice, a promotion, or propose it directly?",
    ),
    ("怎样在商务谈判中达成双赢的协议？", "How do we reach a win-win agreement in the negotiation?"),
    ("能推荐哪些附属产品进行增值销售？", "Which add-on products can we offer for a value-added sale?"),
)

# 大客户拓展六部曲 (seed 001). Seed 001 gives each step its 步骤 (what the salesperson does), not
# questions: the questions below are those steps asked as questions, in the seed's words, except
# step 1's, which the seed asks itself (判断销售机会).
# Probabilities 10/15/20/40/75/100%, set against the one figure the seeds give (seed 000: an
# approved project 立项 is at 25%, a short-listed one 入围 at 50%): trust and needs come before
# the project is approved (under 25%); written requirements or a tender mean it is approved but
# not yet short-listed (40%); negotiation means we are past the short list (75%); a signed
# contract is won (100%, money still to collect).
# Idle days 30/45/45/30/30/60: analysis is desk work; trust and the customer's own purchase
# process take longer; in the competition period (呈现价值, 赢取承诺, seed 001's 竞争期) a month
# without a touch hands the deal to a competitor; payment terms commonly run 30-60 days.
_KEY_ACCOUNT = Pipeline(
    key="key-account",
    zh="大客户拓展六部曲",
    en="six-step key-account funnel",
    builtin=True,
    stages=(
        _stage(
            "analyse",
            ("客户分析", "analyse the customer"),
            0.10,
            30,
            start=_TARGET,
            end=_OPPORTUNITY,
            questions=(
                *_QUALIFY,
                (
                    "四类客户资料（客户现状、组织结构、个人信息、竞争信息）收集全了吗？",
                    "Are the four kinds of customer information (current state, organisation,"
                    " personal details, competition) all collected?",
                ),
                (
                    "采购相关的人，级别、职能和采购角色各是什么？",
                    "For each person in the purchase: what are their level, function and purchase role?",
                ),
                (
                    "向导（内线）发展到哪一级：低级、中级还是高级？",
                    "How far is our guide (insider): low, middle or high?",
                ),
            ),
        ),
        _stage(
            "trust",
            ("建立信任", "build trust"),
            0.15,
            45,
            start=_OPPORTUNITY,
            end=("与关键客户建立了信赖关系", "a relationship of trust with the key people"),
            questions=(
                (
                    "关键客户是哪种沟通风格：孔雀、考拉熊、猫头鹰、老虎还是变色龙？",
                    "Which communication style is each key person: peacock, koala, owl, tiger or chameleon?",
                ),
                (
                    "客户关系到了哪个阶段：认识、约会、信赖还是同盟？",
                    "Which stage has the relationship reached: acquaintance, engagement, trust or alliance?",
                ),
                ("客户给了我们支持和承诺吗？", "Has the customer given us support and commitment?"),
            ),
        ),
        _stage(
            "needs",
            ("挖掘需求", "uncover needs"),
            0.20,
            45,
            start=("与关键客户建立信赖关系", "a relationship of trust with the key people"),
            end=_REQUIREMENTS,
            questions=(
                (
                    "发起者认识到潜在的问题及其严重性了吗？提出采购申请了吗？",
                    "Does the initiator see the hidden problem and how serious it is? Has a purchase request"
                    " been made?",
                ),
                (
                    "决策者做过投入产出分析、确定采购计划了吗？",
                    "Has the decision maker weighed cost against return and settled a purchase plan?",
                ),
                (
                    "我们独特的产品特点融入采购方案了吗？",
                    "Are our product's unique features written into the purchase plan?",
                ),
                (
                    "客户的目标愿望、问题挑战、解决方案、产品服务和采购指标都清楚了吗？",
                    "Are the customer's goals, problems and challenges, solution, products and services,"
                    " and purchase criteria all clear?",
                ),
            ),
        ),
        _stage(
            "value",
            ("呈现价值", "present value"),
            0.40,
            30,
            start=_REQUIREMENTS,
            end=_BUYING_SIGNALS,
            questions=(
                (
                    "通过差异化分析，我们的优势和劣势是什么？",
                    "Against the competition, what are our strengths and weaknesses?",
                ),
                (
                    "巩固优势、消除威胁的行动计划是什么？",
                    "What is the action plan to consolidate our strengths and remove the threats?",
                ),
                ("建议书以客户需求为导向了吗？", "Is the proposal built around the customer's needs?"),
                (
                    "向评估者讲清方案的特点、优势和益处（FAB）了吗？",
                    "Have the evaluators heard the solution's features, advantages and benefits (FAB)?",
                ),
            ),
        ),
        _stage(
            "commit",
            ("赢取承诺", "win commitment"),
            0.75,
            30,
            start=_BUYING_SIGNALS,
            end=_SIGNED,
            questions=_COMMIT_QUESTIONS,
        ),
        _stage(
            "collect",
            ("回收账款", "collect payment"),
            1.00,
            60,
            start=_SIGNED,
            end=_PAID,
            questions=(
                (
                    "合同、客户营业执照和银行帐户审查过了吗？",
                    "Have the contract, the customer's business licence and bank account been checked?",
                ),
                (
                    "生产、交货、验收跟踪到哪一步了？",
                    "How far have production, delivery and acceptance been followed?",
                ),
                (
                    "按账龄和金额，下一步怎样催收：电话、逾期通知书、催款函、上门还是法律？",
                    "By age and amount, how is the money chased next: phone, overdue notice, collection"
                    " letter, visit or legal action?",
                ),
                (
                    "客户满意吗？能给我们推荐名单、转介绍吗？",
                    "Is the customer satisfied? Will they give us names to contact, a referral?",
                ),
            ),
        ),
    ),
)

# 大客户开发流程 (seed 000): five stages, each with what it establishes in brackets; the end
# markers are those brackets. The seed has no start markers (each stage starts where the one
# before ended) and no end marker for 促成成交: seed 001's 签订合同 is used. Its "线确定" and
# "客户部的线(或称应…)" lost a character; read as 内线确定 and 客户内部的内线(或称内应…).
# Probabilities 10/15/25/40/60%: no stage here is won, and the relationship with the decision
# makers comes only in stage 4, so even clear needs (stage 3) are worth little yet.
# Idle days 30/30/30/45/30: samples and information should move fast; relationships take time.
_FOUND_CHANCE = ("有成交机会", "there is a chance of a deal")
_INFORMED = (
    "内线确定；样品资料送达；信息充分；需求明确",
    "insider found; samples and materials delivered; enough information; needs clear",
)
_ASSESSED = (
    "成交可能性、成交障碍、预期费用和开发程序已明确",
    "chance of a deal, obstacles, expected cost and development plan are clear",
)
_RELATED = (
    "与关键决策人建立良好关系；影响力渗透",
    "a good relationship with the key decision makers; our influence reaches inside",
)
_DEVELOPMENT = Pipeline(
    key="development",
    zh="大客户开发流程",
    en="key-account development process",
    builtin=True,
    stages=(
        _stage(
            "target",
            ("确定开发对象", "pick the target"),
            0.10,
            30,
            start=("", ""),
            end=_FOUND_CHANCE,
            questions=(
                (
                    "客户基于何种考虑需要增加或调整供应商？",
                    "Why would the customer add or change a supplier?",
                ),
                ("增加或调整的紧迫性如何？", "How urgent is the change?"),
                (
                    "客户的经营时间、规模、目前经营状况如何？",
                    "How long has the customer been in business, how big is it, how is business now?",
                ),
                ("成交机会有无？", "Is there a chance of a deal?"),
            ),
        ),
        _stage(
            "samples",
            ("样品资料提供/信息收集", "samples and information"),
            0.15,
            30,
            start=_FOUND_CHANCE,
            end=_INFORMED,
            questions=(
                ("客户需要哪些样品？", "Which samples does the customer need?"),
                (
                    "客户内部的内线（内应、情报员、信息员）是谁？",
                    "Who is our insider at the customer (contact, informant)?",
                ),
                (
                    "关键决策人的籍贯、年龄、生日、兴趣、爱好、在该企业时间长短、权限大小、性格、"
                    "做事风格、家庭情况都了解了吗？",
                    "Do we know the key decision maker's hometown, age, birthday, interests, hobbies, years"
                    " at the company, authority, character, way of working and family?",
                ),
            ),
        ),
        _stage(
            "assess",
            ("价值评估/开发程序", "value assessment"),
            0.25,
            30,
            start=_INFORMED,
            end=_ASSESSED,
            questions=(
                ("成交可能性有多大？", "How likely is the deal?"),
                ("成交障碍是什么？", "What stands in the way of the deal?"),
                ("预期费用是多少？", "What do we expect to spend?"),
                ("开发程序怎样安排？", "What is the development plan?"),
            ),
        ),
        _stage(
            "relationship",
            ("关系建立", "relationship with decision makers"),
            0.40,
            45,
            start=_ASSESSED,
            end=_RELATED,
            questions=(
                (
                    "与关键决策人建立良好关系了吗？",
                    "Is there a good relationship with each key decision maker?",
                ),
                ("影响力渗透到哪些部门和人？", "Which departments and people does our influence reach?"),
            ),
        ),
        _stage(
            "close",
            ("促成成交", "close the deal"),
            0.60,
            30,
            start=_RELATED,
            end=_SIGNED,
            questions=(
                ("高层沟通了吗？", "Have the senior managers talked?"),
                ("客户考察/验厂安排了吗？", "Is the customer's visit or factory audit arranged?"),
                ("需要哪些系统支持？", "What support from our company does it need?"),
            ),
        ),
    ),
)

# 顾问型"赢"销七步法 (seed 000) is only partly in the seeds. Seed 000 names steps 4 确保入围
# (客户状态 25% → 50%, goal 将立项客户推动成入围客户), 6 交易实施 and 7 重复采购, with their
# questions (step 7's third is cut off after "提高使"; completed as 提高使用效果). Not in the
# seeds, and ours: the names of steps 1, 2, 3 and 5, every end marker, and the questions of steps
# 1, 2, 3 and 5. They are taken from the nearest seed wording: step 1 from seed 001's 寻找和收集
# 客户 and its opportunity test; steps 2, 3 and 5 from seed 001's key-customer purchase process
# (关键客户采购流程: 发现需求 → 采购申请, 内部酝酿 → 成功立项, 购买承诺 → 签订合同) and, for step
# 3, from an untitled fragment of seed 000 (参与立项, 协助准备立项文件, 根据影响购买者决策的需求入手);
# step 5's questions are the six-step funnel's 赢取承诺; step 6 ends like 回收账款 and step 7
# with seed 001's 开始下一次采购.
# Probabilities 10/15/20/25/50/100/100%: step 4 starts at the seed's 25% and step 5 at its 50%;
# steps 1-3 match the six-step funnel's stages before the project is approved; delivery and
# repeat purchase come after a signed contract. Idle days 30/45/45/30/30/60/90: the last step
# is after-sales care, where a quarter without contact is too long.
_REQUESTED = ("发起者提出采购申请", "the initiator files a purchase request")
_APPROVED = ("成功立项", "the project is approved")
_SHORTLISTED = ("成为入围客户", "we are short-listed")
_NEXT_STEP = ("我的Next Step策略是什么？", "What is my next-step strategy?")
_CONSULTATIVE = Pipeline(
    key="consultative",
    zh="顾问型“赢”销七步法",
    en="seven-step consultative selling",
    builtin=True,
    stages=(
        _stage(
            "prospect",
            ("寻找客户", "find the customer"),
            0.10,
            30,
            start=_TARGET,
            end=_OPPORTUNITY,
            questions=_QUALIFY,
        ),
        _stage(
            "discover",
            ("发现需求", "discover the need"),
            0.15,
            45,
            start=_OPPORTUNITY,
            end=_REQUESTED,
            questions=(
                (
                    "发起者认识到潜在的问题和挑战以及问题的严重性了吗？",
                    "Does the initiator see the hidden problems and challenges, and how serious they are?",
                ),
                ("发起者提出采购申请了吗？", "Has the initiator filed a purchase request?"),
            ),
        ),
        _stage(
            "approve",
            ("促成立项", "get the project approved"),
            0.20,
            45,
            start=_REQUESTED,
            end=_APPROVED,
            questions=(
                ("我们参与立项了吗？", "Are we part of the project approval?"),
                (
                    "我们协助准备立项文件（产品标准等）了吗？",
                    "Are we helping to prepare the project documents (product standards and the like)?",
                ),
                ("影响购买者决策的需求是什么？", "Which needs sway the buyers' decision?"),
                (
                    "决策者通过投入产出分析认识到采购的价值了吗？",
                    "Does the decision maker see the value of buying, cost against return?",
                ),
            ),
        ),
        _stage(
            "shortlist",
            ("确保入围", "get short-listed"),
            0.25,
            30,
            start=_APPROVED,
            end=_SHORTLISTED,
            questions=(
                (
                    "这家公司是做什么的/怎样做/为什么这样做/什么时候开始这样做？",
                    "What does this company do, how, why, and since when?",
                ),
                (
                    "他们有向其他公司购货吗？为何及怎样选择这些公司呢？",
                    "Do they buy from other companies? Why and how did they choose them?",
                ),
                (
                    "这公司正在考虑其他竞争对手吗？为什么是这些公司？",
                    "Is the company considering other competitors? Why those?",
                ),
                ("为什么他们要变呢？", "Why do they want to change?"),
                (
                    "他们的采购决策链由哪些人组成？我如何到达决策链上层？",
                    "Who makes up their purchase decision chain? How do I reach the top of it?",
                ),
                ("决策者希望达到什么目标？", "What does the decision maker want to achieve?"),
                (
                    "我们怎样帮助他们做得更好？我们产品的哪些特点符合对方的利益？",
                    "How can we help them do better? Which features of our product serve their interests?",
                ),
                ("我们的方案对客户有足够的吸引力吗？", "Is our proposal attractive enough to the customer?"),
                _NEXT_STEP,
            ),
        ),
        _stage(
            "commit",
            ("赢取承诺", "win commitment"),
            0.50,
            30,
            start=_SHORTLISTED,
            end=_SIGNED,
            questions=_COMMIT_QUESTIONS,
        ),
        _stage(
            "deliver",
            ("交易实施", "delivery"),
            1.00,
            60,
            start=_SIGNED,
            end=_PAID,
            questions=(
                ("具体的实施计划是什么？", "What exactly is the delivery plan?"),
                (
                    "使用者在客户内部的影响力有多大？",
                    "How much influence do the users have inside the customer?",
                ),
                (
                    "如何才能帮助他们将产品的效果实现最大化？",
                    "How can we help them get the most out of the product?",
                ),
                ("怎么做才能使他们愿意采购更多的产品？", "What would make them willing to buy more?"),
                _NEXT_STEP,
            ),
        ),
        _stage(
            "repeat",
            ("重复采购", "repeat purchase"),
            1.00,
            90,
            start=_PAID,
            end=("开始下一次采购", "the customer starts the next purchase"),
            questions=(
                ("哪些是最容易影响他们的满意度？", "What most easily affects their satisfaction?"),
                (
                    "上次采购的产品已经真的对他们有帮助吗？",
                    "Has what they bought last time really helped them?",
                ),
                (
                    "如果效果不明显，为什么？我们怎么能帮助他们提高使用效果？",
                    "If the effect is unclear, why? How can we help them get more out of it?",
                ),
            ),
        ),
    ),
)

# 维护 (maintenance, seed 002's 维护策略; DOMAIN §4 and §6): where a won customer goes once all
# its money is in, after every pipeline's last stage (a user's TOML ones too). A pipeline whose
# last stage already starts there keeps that stage as its after-sale one: the seven-step
# funnel's 重复采购. Probability 100% (the deal is won and paid); idle 365 days: a year without
# a new deal is the next purchase cycle missed (its touches follow the grade's cadence).
# Leaving it is the next purchase: `kehu reopen --new-deal`.
MAINTAIN = "maintain"
_MAINTAIN = _stage(
    MAINTAIN,
    ("维护", "after-sale care"),
    1.00,
    365,
    start=_PAID,
    end=("开始下一次采购", "the customer starts the next purchase"),
    questions=(
        ("客户使用产品和服务的情况怎样？需要哪些帮助和支持？",
         "How is the customer using the product and service? What help and support do they need?"),
        ("客户的投诉都及时处理了吗？", "Has every complaint of the customer been dealt with in time?"),
        ("客户满意吗？能给我们推荐名单、转介绍吗？",
         "Is the customer satisfied? Will they give us names to contact, a referral?"),
        ("下一次采购是什么时候？", "When is the next purchase?"),
    ),
)  # fmt: skip


def with_after_sale(pipeline: Pipeline) -> Pipeline:
    """The pipeline with its after-sale stage last: 维护 appended, unless its last stage already
    starts where all the money is collected (then that one is it)."""
    if pipeline.stages and pipeline.stages[-1].start_marker_zh == _PAID[0]:
        return pipeline
    if any(stage.key == MAINTAIN for stage in pipeline.stages):  # a user's own stage of that key
        return pipeline
    return replace(pipeline, stages=(*pipeline.stages, _MAINTAIN))


DEFAULT_PIPELINE = "key-account"
BUILTIN: dict[str, Pipeline] = {
    pipeline.key: with_after_sale(pipeline) for pipeline in (_KEY_ACCOUNT, _DEVELOPMENT, _CONSULTATIVE)
}
