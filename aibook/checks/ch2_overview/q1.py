"""ch2_overview 练习 1：两种口径的全球总数之比。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "两种口径的全球总数之比"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_number(answer, 2)


@test_case(name="形式", failure_message='answer_1 应是一个数：领英专家的全球总数 ÷ 会议论文作者的全球总数')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='比值不对：用 sources.sourced(talent) 只取发布者来源的行（两种口径的全球总数），按 metric 取值，linkedin_experts ÷ conference_authors')
def value(answer_1):
    g.verify("ch2_overview", name, canonical(answer_1))
