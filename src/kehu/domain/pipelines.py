"""The sales funnels (销售漏斗, DOMAIN.md §4): their stages, and pipelines a user writes in TOML.

A pipeline is an ordered list of stages. Each stage has a stable key, a Chinese and an English
name, the win probability of a customer in it, a start marker 开始标志 and an end marker 结束标志
(the evidence that lets a customer leave the stage), the questions to ask there 推进问题, and the
number of idle days after which a customer in it is flagged. Three pipelines come from the seeds
(BUILTIN); the six-step key-account funnel is the default.

A stage's probability is what its start marker proves: a customer who has just entered the stage
has that chance of being won. Probabilities never decrease along a pipeline.

A user pipeline is a TOML file like this one::

    key = "saas"                  # a-z, 0-9, "_" and "-"
    name_zh = "SaaS 销售"
    name_en = "SaaS sales"

    [[stage]]                     # one table per stage, in order
    key = "lead"
    name_zh = "线索"
    name_en = "lead"
    probability = 0.1             # 0 to 1, never lower than the stage before
    start_marker_zh = "留下联系方式"
    start_marker_en = "contact details left"
    end_marker_zh = "确认有预算和采购时间表"
    end_marker_en = "budget and purchase timetable confirmed"
    questions_zh = ["客户预算是多少？", "有采购时间表吗？"]
    questions_en = ["What is the customer's budget?", "Is there a purchase timetable?"]
    max_idle_days = 30            # a whole number of days above 0

    [[stage]]
    key = "won"
    name_zh = "成交"
    name_en = "won"
    probability = 1.0

Required: the pipeline's key, each stage's key and probability, and a name (name_zh, name_en or
both) for the pipeline and for each stage. Everything else may be left out: a text given in one
language only is used for both, markers default to empty, questions to none, max_idle_days to
DEFAULT_MAX_IDLE_DAYS. `load_pipeline_toml` reports every problem of a file at once, each as
"line N: what is wrong" in the user's language.

After the last stage comes the after-sale stage 维护 (key "maintain", 100%, DOMAIN §4 and §6),
where a won customer moves once all its money is in: every pipeline gets it, a user's too, unless
its last stage already starts there (start_marker_zh "依照合同，回收全部账款") or one of its stages
is keyed "maintain".
"""

from kehu.domain.builtin_pipelines import BUILTIN, DEFAULT_PIPELINE
from kehu.domain.pipeline_toml import DEFAULT_MAX_IDLE_DAYS, PipelineError, load_pipeline_toml
from kehu.domain.stages import Pipeline, Stage

__all__ = [
    "BUILTIN",
    "DEFAULT_MAX_IDLE_DAYS",
    "DEFAULT_PIPELINE",
    "Pipeline",
    "PipelineError",
    "Stage",
    "load_pipeline_toml",
]
