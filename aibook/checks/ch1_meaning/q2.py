"""ch1_meaning 练习 2：把时间线改画成年度柱状图。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "把时间线改画成年度柱状图"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_mapping(answer, 0, key="year", value="count")


@test_case(name="形式", failure_message='answer_2 应是交给 figures.year_bars 的表（year、count 两列，可再有 kind 列），或“年份 → 政策数”的 Series')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='年度计数不对：年份取 date 的前 4 位；从最早一年到最晚一年每年一行，没有政策的年份记为 0')
def value(answer_2):
    g.verify("ch1_meaning", name, canonical(answer_2))
