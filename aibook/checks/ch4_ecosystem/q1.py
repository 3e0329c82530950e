"""ch4_ecosystem 练习 1：电子信息制造业的增速到底是多少？。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "电子信息制造业的增速到底是多少？"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_numbers(answer, 1, 3)


@test_case(name="形式", failure_message='answer_1 应是三个增速（%）组成的列表：[表格 6 中该行业的, 正文写的, 表格 6 合计行的]')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='增速不对：前后两个取 t6_report 中“电子信息产品制造业”行和合计行的 growth_pct，中间一个是事实 ch4_sh_electronics_output_growth_2018')
def value(answer_1):
    g.verify("ch4_ecosystem", name, canonical(answer_1))
