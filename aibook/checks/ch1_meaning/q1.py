"""ch1_meaning 练习 1：按出台单位清点政策。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "按出台单位清点政策"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_mapping(answer, 0)


@test_case(name="形式", failure_message='answer_1 应是“出台单位 → 政策数”：analysis.count_by(policies, "issuer") 的结果（两列的表）即可')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='计数不对：表格 1 的每一行是一项政策，按 issuer 列原样计数，不要去重、筛选或改写单位名称')
def value(answer_1):
    g.verify("ch1_meaning", name, canonical(answer_1))
