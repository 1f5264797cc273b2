from __future__ import annotations

from pathlib import Path

from dudao.engine.indicators import default_thresholds, framework


def test_every_indicator_is_documented_in_the_indicators_table() -> None:
    text = (Path(__file__).resolve().parents[1] / "INDICATORS.md").read_text("utf-8")
    for ind in framework().indicators:
        assert f"| `{ind.key}` |" in text, ind.key


def test_the_data_file_is_consistent() -> None:
    fw = framework()
    keys = [i.key for i in fw.indicators]
    assert len(keys) == len(set(keys))
    for ind in fw.indicators:
        assert ind.dimension in fw.dimensions
        assert set(ind.thresholds) == set(ind.levels)
        if ind.group:
            members = [i for i in fw.indicators if i.group == ind.group]
            assert {i.dimension for i in members} == {ind.dimension}  # one finding, one dimension
    assert default_thresholds()["sports_area_per_student.junior"] == 10.2
    assert default_thresholds()["balance_cv.primary"] == 0.5
