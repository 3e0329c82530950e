"""ch5_outlook 练习 1：六个行业的增速排名。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_1 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q1"
points = 1
TITLE = "六个行业的增速排名"
VARIABLE = "answer_1"


def canonical(answer):
    return g.as_names(answer)


@test_case(name="形式", failure_message='answer_1 应是六个行业名称（indicator）按 growth_pct 从高到低排成的列表或 Series')
def form(answer_1):
    g.attempted(answer_1, VARIABLE)
    canonical(answer_1)


@test_case(name="数值", failure_message='排名不对：只取 level == "component" 的六行（不含合计行），按 growth_pct 从高到低排序')
def value(answer_1):
    g.verify("ch5_outlook", name, canonical(answer_1))
