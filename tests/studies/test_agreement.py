"""Agreement figures against a hand-worked example (two coders, six factors, themes a and b).

| unit | coder 1 | coder 2 |   same set?
| u1   | {a}     | {a}     |   yes
| u2   | {a}     | {a,b}   |   no  (MASI: J = 1/2, subset → M = 2/3, d = 2/3)
| u3   | {b}     | {b}     |   yes
| u4   | {}      | {a}     |   no  (disjoint, d = 1)
| u5   | {a,b}   | {a,b}   |   yes
| u6   | {b}     | {}      |   no  (d = 1)

Percent agreement 3/6. κ(a): presence 110010 vs 110110, p_o = 5/6, p_e = ½·⅔ + ½·⅓ = ½, κ = ⅔.
κ(b): 001011 vs 011010, p_o = 4/6, p_e = ½, κ = ⅓.
α nominal on sets: 12 values {a}×4, {b}×3, {}×2, {a,b}×3; D_o = 3 disagreeing units × 2 / 12 = ½;
D_e = (144 − 38) / 132; α = 1 − 66/106 = 40/106.
α MASI: D_o = 2 (⅔ + 1 + 1) / 12 = 4/9; D_e = 2 (12 + 8 + 8 + 6 + 6 + 6) / 132 = 92/132; α = 1 − 528/828 = 25/69.
"""

import pytest

from app.studies import agreement

A, B, AB, NONE = frozenset({"a"}), frozenset({"b"}), frozenset({"a", "b"}), frozenset()
UNITS = {1: {1: A, 2: A}, 2: {1: A, 2: AB}, 3: {1: B, 2: B}, 4: {1: NONE, 2: A}, 5: {1: AB, 2: AB}, 6: {1: B, 2: NONE}}


def test_percent_agreement() -> None:
    assert agreement.percent_agreement(UNITS) == pytest.approx(0.5)


def test_kappa_per_theme() -> None:
    kappa, n = agreement.kappa_per_theme(UNITS, ["a", "b"])
    assert kappa["a"] == pytest.approx(2 / 3)
    assert kappa["b"] == pytest.approx(1 / 3)
    assert n == {"a": 6, "b": 6}


def test_krippendorff_alpha_nominal_on_sets() -> None:
    assert agreement.krippendorff_alpha(UNITS) == pytest.approx(40 / 106)


def test_krippendorff_alpha_masi() -> None:
    assert agreement.masi(A, AB) == pytest.approx(2 / 3)
    assert agreement.masi(NONE, NONE) == 0
    assert agreement.krippendorff_alpha(UNITS, agreement.masi) == pytest.approx(25 / 69)


def test_perfect_agreement_and_no_variation() -> None:
    same = {1: {1: A, 2: A}, 2: {1: B, 2: B}}
    assert agreement.krippendorff_alpha(same) == pytest.approx(1.0)
    assert agreement.cohen_kappa([True, True], [True, True]) is None  # p_e = 1: κ undefined
    assert agreement.krippendorff_alpha({1: {1: A, 2: A}}) is None  # one value only: no expected disagreement


def test_units_coded_by_one_coder_only_do_not_count() -> None:
    units = {**UNITS, 7: {1: A}}
    assert agreement.percent_agreement(units) == pytest.approx(0.5)
    assert agreement.krippendorff_alpha(units) == pytest.approx(40 / 106)


def test_bootstrap_interval_holds_alpha_and_repeats() -> None:
    interval = agreement.bootstrap_alpha(UNITS)
    assert interval is not None
    low, high = interval
    assert -1 <= low <= 40 / 106 <= high <= 1
    assert agreement.bootstrap_alpha(UNITS) == interval
