"""ch4_applications 练习 2：场景类别 × 批次的热力图。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "场景类别 × 批次的热力图"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_set(answer)


@test_case(name="形式", failure_message='answer_2 应是只出现在其中一批的场景类别名称（列表）')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='类别不对：按 category 和 batch 计数并 unstack(fill_value=0)，找出在某一批中点位数为 0 的类别')
def value(answer_2):
    g.verify("ch4_applications", name, canonical(answer_2))
