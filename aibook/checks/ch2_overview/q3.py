"""ch2_overview 练习 3：日期见于发布者页面的战略文件的年度分布。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_3 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q3"
points = 1
TITLE = "日期见于发布者页面的战略文件的年度分布"
VARIABLE = "answer_3"


def canonical(answer):
    return g.as_mapping(answer, 0, key="year", value="count")


@test_case(name="形式", failure_message='answer_3 应是交给 figures.year_bars 的表（year、count 两列，可再有 kind 列），或“年份 → 个数”的 Series')
def form(answer_3):
    g.attempted(answer_3, VARIABLE)
    canonical(answer_3)


@test_case(name="数值", failure_message='年度计数不对：只数 sources.sourced(strategies) 的行，年份取 date 的前 4 位；从最早到最晚每年一行，没有的年份记为 0')
def value(answer_3):
    g.verify("ch2_overview", name, canonical(answer_3))
