"""ch1_meaning 练习 3：用自己的数据重算本章。

otter-grader 的测试文件（exception-based 格式）。本题的“答案”是本内核读过的文件及其摘要，学员在起始代码中已能看到
（inputs_read()），要练的是路径的改写；所以检查不存摘要，而是当场调用 inputs_read() 与学员的表比较。
"""

from otter.test_files import test_case

from aibook import grading as g

name = "q3"
points = 1
TITLE = "用自己的数据重算本章"
VARIABLE = "answer_3"
KEYED = False


def canonical(answer):
    pairs = g.as_pairs(answer, key="文件", value="SHA-256（前 12 位）")
    return sorted(pairs)


def expected(data_dir):
    from pathlib import Path

    from aibook.data import inputs_read
    from aibook.paths import resolve_data_dir

    root = resolve_data_dir(data_dir)
    return sorted((Path(p).relative_to(root).as_posix(), d[:12]) for p, d in inputs_read().items()
                  if Path(p).is_relative_to(root))


@test_case(name="形式", failure_message="answer_3 应是“相对数据目录的路径 → SHA-256 前 12 位”：dict、Series，或两列的表")
def form(answer_3):
    g.attempted(answer_3, VARIABLE)
    canonical(answer_3)


@test_case(name="文件", failure_message="文件不对：路径写成相对数据目录 root 的形式（Path(p).relative_to(root).as_posix()），inputs_read() 中的每个文件都要列出")
def files(answer_3, data_dir):
    g.same([k for k, _ in canonical(answer_3)], [k for k, _ in expected(data_dir)])


@test_case(name="摘要", failure_message="摘要不对：取 inputs_read() 中每个文件 SHA-256 十六进制串的前 12 个字符")
def digests(answer_3, data_dir):
    g.same(canonical(answer_3), expected(data_dir))
