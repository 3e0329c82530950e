"""Within a build, bytes that passed validation once are not validated again; changed bytes always are."""

from __future__ import annotations

from pathlib import Path

import pytest

from aibook import validation
from aibook.data import DataError, load


def test_passed_text_is_remembered_and_changed_text_is_validated_again(tmp_path: Path, data_copy: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(validation.VALIDATED_ENV, str(tmp_path / "validated"))
    load("table13_sh_ai_chips", data_copy)
    assert len(list((tmp_path / "validated").iterdir())) >= 1

    calls: list[str] = []
    real = validation._validate_now
    monkeypatch.setattr(validation, "_validate_now", lambda *a, **k: (calls.append("v"), real(*a, **k)))
    load("table13_sh_ai_chips", data_copy)
    assert calls == [], "unchanged bytes were validated again"

    path = data_copy / "tables" / "table13_sh_ai_chips.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1], lines[1], *lines[2:]]) + "\n", encoding="utf-8")  # duplicate row
    with pytest.raises(DataError):
        load("table13_sh_ai_chips", data_copy)
    assert calls == ["v"]


def test_without_the_build_nothing_is_remembered(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(validation.VALIDATED_ENV, raising=False)
    assert validation._passed_marker({"name": "x"}, "a\n1\n") is None
