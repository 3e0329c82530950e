"""ch5_outlook 练习 3：“医疗仅次于教育”站得住吗？。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_3 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q3"
points = 1
TITLE = "“医疗仅次于教育”站得住吗？"
VARIABLE = "answer_3"


def canonical(answer):
    return g.as_mapping(answer, 0)


@test_case(name="形式", failure_message='answer_3 应是“场景类别 → 点位数”：analysis.count_by(points, "category") 的结果（两列的表）即可')
def form(answer_3):
    g.attempted(answer_3, VARIABLE)
    canonical(answer_3)


@test_case(name="数值", failure_message='点位数不对：用归并后的 category 列计数，两批的点位都算，每一行是一个点位')
def value(answer_3):
    g.verify("ch5_outlook", name, canonical(answer_3))
