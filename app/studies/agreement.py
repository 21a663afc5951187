"""Inter-coder agreement on sets of themes: percent agreement, Cohen's κ per theme, Krippendorff's α (nominal on
the set, and with the MASI distance for several themes per unit) with a bootstrap interval.

Pure functions on ``{unit: {coder: frozenset(themes)}}``; small enough to check by hand (tests/studies).
"""

import random
from collections.abc import Callable, Mapping
from itertools import combinations

Labels = frozenset[str]
Units = Mapping[int, Mapping[int, Labels]]
Distance = Callable[[Labels, Labels], float]


def nominal(a: Labels, b: Labels) -> float:
    """0 when the two sets are the same, else 1."""
    return 0.0 if a == b else 1.0


def masi(a: Labels, b: Labels) -> float:
    """The MASI distance (Passonneau 2006): 1 − Jaccard × monotonicity; two empty sets are the same."""
    if a == b:
        return 0.0
    union, both = a | b, a & b
    if not both:
        return 1.0
    monotonicity = 2 / 3 if (a <= b or b <= a) else 1 / 3
    return 1 - len(both) / len(union) * monotonicity


def pairable(units: Units) -> dict[int, dict[int, Labels]]:
    """The units coded by at least two coders."""
    return {unit: dict(codes) for unit, codes in units.items() if len(codes) >= 2}


def percent_agreement(units: Units) -> float | None:
    """The share of units (coded by two or more) where every coder chose the same set of themes."""
    usable = pairable(units)
    if not usable:
        return None
    same = sum(1 for codes in usable.values() if len(set(codes.values())) == 1)
    return same / len(usable)


def cohen_kappa(first: list[bool], second: list[bool]) -> float | None:
    """Cohen's κ of two coders' yes/no decisions; None when chance agreement is 1 (no variation at all)."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(1 for a, b in zip(first, second, strict=True) if a == b) / n
    p1, p2 = sum(first) / n, sum(second) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def kappa_per_theme(units: Units, themes: list[str]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Per theme, Cohen's κ on presence, averaged over every pair of coders (with the units both coded)."""
    coders = sorted({c for codes in units.values() for c in codes})
    kappas: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for theme in themes:
        values: list[float] = []
        n = 0
        for a, b in combinations(coders, 2):
            both = [codes for codes in units.values() if a in codes and b in codes]
            n = max(n, len(both))
            k = cohen_kappa([theme in c[a] for c in both], [theme in c[b] for c in both])
            if k is not None:
                values.append(k)
        kappas[theme] = sum(values) / len(values) if values else None
        counts[theme] = n
    return kappas, counts


def krippendorff_alpha(units: Units, distance: Distance = nominal) -> float | None:
    """Krippendorff's α = 1 − D_o / D_e over the pairable values (any number of coders, missing codings allowed).

    None when fewer than two units are pairable or every value is the same (no expected disagreement).
    """
    usable = pairable(units)
    values = [label for codes in usable.values() for label in codes.values()]
    n = len(values)
    if len(usable) < 1 or n < 2:
        return None
    observed = 0.0
    for codes in usable.values():
        labels = list(codes.values())
        m = len(labels)
        within = sum(distance(x, y) for i, x in enumerate(labels) for j, y in enumerate(labels) if i != j)
        observed += within / (m - 1)
    observed /= n
    counts: dict[Labels, int] = {}
    for label in values:
        counts[label] = counts.get(label, 0) + 1
    distinct = list(counts)
    expected = sum(counts[x] * counts[y] * distance(x, y) for x in distinct for y in distinct if x != y)
    expected /= n * (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


def bootstrap_alpha(
    units: Units, distance: Distance = nominal, *, rounds: int = 1000, seed: int = 13
) -> list[float] | None:
    """A 95 % percentile interval of α from resampling the units with replacement (fixed seed: repeatable)."""
    usable = list(pairable(units).values())
    if len(usable) < 2:
        return None
    rng = random.Random(seed)
    found: list[float] = []
    for _round in range(rounds):
        sample = {i: rng.choice(usable) for i in range(len(usable))}
        value = krippendorff_alpha(sample, distance)
        if value is not None:
            found.append(value)
    if not found:
        return None
    found.sort()
    return [round(found[int(0.025 * (len(found) - 1))], 4), round(found[int(0.975 * (len(found) - 1))], 4)]
