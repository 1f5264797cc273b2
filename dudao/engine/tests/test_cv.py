from __future__ import annotations

import numpy as np
import pytest

from dudao.engine.cv import grouped_cv, weighted_cv


def test_it_reproduces_the_standards_test_vector() -> None:
    cv = weighted_cv([45, 37, 89, 76, 55], [279, 137, 935, 160, 402])
    assert round(cv, 4) == 0.5153


def test_it_weights_by_students_and_uses_the_county_value_not_the_mean_of_schools() -> None:
    # X = [1, 3], P = [1, 3]: X̄ = (1 + 9) / 4 = 2.5 (the plain mean would be 2.0);
    # S² = (1/4)(1 - 2.5)² + (3/4)(3 - 2.5)² = 0.5625 + 0.1875 = 0.75
    cv = weighted_cv([1, 3], [1, 9])
    assert cv == pytest.approx(0.75**0.5 / 2.5)


def test_grouped_cv_matches_one_group_at_a_time_and_ignores_schools_without_pupils() -> None:
    group = np.array([0, 0, 0, 1, 1, 1, 1, 1], dtype=np.int64)
    p = np.array([45, 37, 0, 45, 37, 89, 76, 55], dtype=np.float64)
    q = np.array([279, 137, 500, 279, 137, 935, 160, 402], dtype=np.float64)
    xbar, cv, x = grouped_cv(group, 3, p, q)
    assert cv[1] == pytest.approx(weighted_cv([45, 37, 89, 76, 55], [279, 137, 935, 160, 402]))
    assert cv[0] == pytest.approx(weighted_cv([45, 37], [279, 137]))
    assert xbar[0] == pytest.approx(416 / 82)  # the empty school's 500 books are not counted
    assert np.isnan(x[2])
    assert np.isnan(cv[2]) and np.isnan(xbar[2])  # a group with no schools at all
