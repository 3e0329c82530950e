"""ch3_industry_base 练习 1：换一个时期重建本章。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "换一个时期重建本章"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_table(g.columns(answer, ["total", "share_pct"]), 1)


@test_case(name="形式", failure_message='answer_1 应是以时期（periods.periods(data_dir) 中的每个 p）为行、total 和 share_pct 两列的表')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='数字不对：total 取 periods.industry_period(p, data_dir).check.total，share_pct 取同一对象的 .share_pct；每个可用时期各一行')
def value(answer_1):
    g.verify("ch3_industry_base", name, canonical(answer_1))
