"""ch2_overview 练习 2：上海企业占比线索所在的网站。

otter-grader 的测试文件（exception-based 格式）。不含答案：只把 answer_2 化成规范形式，与 keys.json 中的加盐摘要比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q2"
points = 1
TITLE = "上海企业占比线索所在的网站"
VARIABLE = "answer_2"


def canonical(answer):
    return g.as_pairs(answer, key="sample", value="host")


@test_case(name="形式", failure_message='answer_2 应是“样本 → 主机名”：以 sample 为索引的 Series，或 sample、host 两列的表')
def form(answer_2):
    g.attempted(answer_2, VARIABLE)
    canonical(answer_2)


@test_case(name="数值", failure_message='主机名不对：只取 city 为“上海”的行，用 urllib.parse.urlparse(网址).hostname 取出主机名')
def value(answer_2):
    g.verify("ch2_overview", name, canonical(answer_2))
