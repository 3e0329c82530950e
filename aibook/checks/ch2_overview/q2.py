"""ch2_overview 练习 2：上海的企业占比：报告与公开统计。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "上海的企业占比：报告与公开统计"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_mapping(answer, 1, key="sample", value="diff")


@test_case(name="形式", failure_message='answer_2 应是“样本 → 与报告之差（百分点）”：以 sample 为索引的 Series，或 sample、diff 两列的表')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='差值不对：只取 city 为“上海”、且 sample 不以“报告”开头的行，算 share − reported（不取绝对值）')
def value(answer_2):
    g.verify("ch2_overview", name, canonical(answer_2))
