"""ch3_industry_base 练习 4：按增速排序的行业柱状图。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_4 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q4"
points = 1
TITLE = "按增速排序的行业柱状图"
VARIABLE = "answer_4"


def canonical(answer):
    return g.as_names(answer)


@test_case(name="形式", failure_message='answer_4 应是六个行业名称（indicator）按增速从高到低排成的列表或 Series')
def form(answer_4):
    g.attempted(answer_4, VARIABLE)
    canonical(answer_4)


@test_case(name="数值", failure_message='顺序不对：按 growth_pct 从高到低排列 components 的 indicator（本检查按默认时期 period = "2018" 的数据核对）')
def value(answer_4):
    g.verify("ch3_industry_base", name, canonical(answer_4))
