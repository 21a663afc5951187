"""Our agreement figures against an independent implementation: NLTK's ``AnnotationTask`` (Cohen's κ per coder
pair, Krippendorff's α with a distance) and its ``masi_distance``, on random codings made by Hypothesis.

``app/studies/agreement.py`` stays the runtime code (hand-checked in test_agreement.py); NLTK is a test
dependency only. Where the two differ by definition, the test says so: NLTK's α is 1 where there is a single
value (ours: None, nothing to say) and NLTK's MASI divides by zero on two empty sets (ours: the same set, 0).
"""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, masi_distance

from app.studies import agreement
from app.studies.agreement import Labels

THEMES = ("a", "b", "c", "d")
labels = st.frozensets(st.sampled_from(THEMES), max_size=3)
# {unit: {coder: themes}}: 2–3 coders, 1–25 units; a coder may leave a unit uncoded (missing data for α).
partial = st.dictionaries(
    st.integers(1, 60), st.dictionaries(st.integers(1, 3), labels, min_size=1, max_size=3), min_size=1, max_size=25
)
# Two coders who both coded every unit (what Cohen's κ is defined on).
complete = st.lists(st.tuples(labels, labels), min_size=2, max_size=25)


def _nltk_masi(a: Labels, b: Labels) -> float:
    return 0.0 if not a and not b else float(masi_distance(set(a), set(b)))


def _task(units: agreement.Units, distance: object) -> AnnotationTask:
    data = [(str(coder), str(unit), codes[coder]) for unit, codes in units.items() for coder in codes]
    return AnnotationTask(data=data, distance=distance)


@given(labels, labels)
def test_masi_distance_is_nltks(a: Labels, b: Labels) -> None:
    if a or b:
        assert agreement.masi(a, b) == pytest.approx(masi_distance(set(a), set(b)))
    else:
        assert agreement.masi(a, b) == 0.0


@settings(max_examples=150, deadline=None)
@given(partial)
def test_alpha_nominal_and_masi_match_nltk(units: dict[int, dict[int, Labels]]) -> None:
    pairable = agreement.pairable(units)
    values = {label for codes in pairable.values() for label in codes.values()}
    for ours_distance, nltk_distance in ((agreement.nominal, binary_distance), (agreement.masi, _nltk_masi)):
        ours = agreement.krippendorff_alpha(units, ours_distance)
        if not pairable:
            assert ours is None
            continue
        theirs = _task(units, nltk_distance).alpha()
        if len(values) == 1:
            assert ours is None and theirs == 1  # one value only: no expected disagreement
        else:
            assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(complete)
def test_kappa_per_theme_matches_nltk(pairs: list[tuple[Labels, Labels]]) -> None:
    units = {i: {1: first, 2: second} for i, (first, second) in enumerate(pairs, start=1)}
    kappas, counts = agreement.kappa_per_theme(units, list(THEMES))
    for theme in THEMES:
        assert counts[theme] == len(pairs)
        presence = {i: {c: theme in labels for c, labels in codes.items()} for i, codes in units.items()}
        if len({v for codes in presence.values() for v in codes.values()}) == 1:
            assert kappas[theme] is None  # chance agreement 1: κ undefined (NLTK calls it 1)
            continue
        assert kappas[theme] == pytest.approx(_task(presence, binary_distance).kappa(), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(labels, labels, labels), min_size=3, max_size=15))
def test_kappa_of_three_coders_is_the_mean_over_pairs_as_in_nltk(triples: list[tuple[Labels, ...]]) -> None:
    units = {i: dict(enumerate(codes, start=1)) for i, codes in enumerate(triples, start=1)}
    kappas, _counts = agreement.kappa_per_theme(units, list(THEMES))
    for theme in THEMES:
        per_pair = []
        for a, b in combinations((1, 2, 3), 2):
            presence = {i: {a: theme in codes[a], b: theme in codes[b]} for i, codes in units.items()}
            if len({v for codes in presence.values() for v in codes.values()}) > 1:
                per_pair.append(_task(presence, binary_distance).kappa())
        if per_pair:
            assert kappas[theme] == pytest.approx(sum(per_pair) / len(per_pair), abs=1e-9)
        else:
            assert kappas[theme] is None
