"""ch5_outlook 练习 2：只看上海的全国占比，排个序。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "只看上海的全国占比，排个序"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_names(answer)


@test_case(name="形式", failure_message='answer_2 应是上海各项指标名称（indicator）按 share 从高到低排成的列表或 Series')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='顺序不对：只取 shares 中 city == "上海" 的行，按 share 从高到低排序，取 indicator 列')
def value(answer_2):
    g.verify("ch5_outlook", name, canonical(answer_2))
