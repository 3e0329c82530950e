"""ch4_applications 练习 1：专项资金的支持单位数对不上。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "专项资金的支持单位数对不上"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_number(answer, 0)


@test_case(name="形式", failure_message='answer_1 应是一个数：各批单位数之和减去报告所称的总数')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='差额不对：把 batch_ids 中每个编号的 fact(F, 编号) 相加，再减去 fact(F, "ch4_fund_total_units")（注意减的方向）')
def value(answer_1):
    g.verify("ch4_applications", name, canonical(answer_1))
