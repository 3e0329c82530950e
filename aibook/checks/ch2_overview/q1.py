"""ch2_overview 练习 1：两种口径下的人才排名。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "两种口径下的人才排名"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_table(g.columns(answer, ["conference_authors", "linkedin_experts"]), 1)


@test_case(name="形式", failure_message='answer_1 应是以国家为行、conference_authors 和 linkedin_experts 两列为各国占全球比重（%）的表（例如 pivot 的结果），不含“全球”一行')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='占比不对：每个国家的值除以同一口径（metric）的全球合计再乘 100；两种口径各用各的全球合计')
def value(answer_1):
    g.verify("ch2_overview", name, canonical(answer_1))
