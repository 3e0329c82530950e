"""ch3_industry_base 练习 3：由报告所说的占比反推规上工业总产值。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_3 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q3"
points = 1
TITLE = "由报告所说的占比反推规上工业总产值"
VARIABLE = "answer_3"


def canonical(answer):
    return g.as_numbers(answer, 0, 2)


@test_case(name="形式", failure_message='answer_3 应是两个数（亿元）组成的列表：[由表格 6 合计反推的, 由战略性新兴产业工业总产值反推的]')
def form(answer_3):
    g.attempted(answer_3, VARIABLE)
    canonical(answer_3)


@test_case(name="数值", failure_message='反推的总产值不对：部分 ÷ (占比 / 100)，例如 arith.implied_total(部分, 占比)；第一条路径用表格 6 中 level 为 total 的行')
def value(answer_3):
    g.verify("ch3_industry_base", name, canonical(answer_3))
