"""ch3_industry_base 练习 2：表格 8 每个领域的占比之和。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "表格 8 每个领域的占比之和"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_mapping(answer, 1)


@test_case(name="形式", failure_message='answer_2 应是“领域 → 上海减北京（百分点）”：以 field 为索引的 Series（例如 pivot 之后两列相减）')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='差值不对：每个领域取 city 为“上海”和“北京”两行的 share_pct，用上海减北京（不取绝对值）')
def value(answer_2):
    g.verify("ch3_industry_base", name, canonical(answer_2))
