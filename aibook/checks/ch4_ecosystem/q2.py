"""ch4_ecosystem 练习 2：一个机构，一个框：名称归并改变了哪些图？。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "一个机构，一个框：名称归并改变了哪些图？"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_set(answer)


@test_case(name="形式", failure_message='answer_2 应是框数发生变化的图（figure 列的取值）组成的列表')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='图不对：对每张图比较“segment × organization 的不同组合数”和“归并后（canonical）不同机构数”，两者不相等的图才算')
def value(answer_2):
    g.verify("ch4_ecosystem", name, canonical(answer_2))
