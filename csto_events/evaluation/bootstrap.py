"""Bootstrap confidence intervals and the paired bootstrap test.

Resampling is over units: every scored text, or whole articles (all of an
article's sentences together, since sentences of one article share writer,
topic and names and are not independent). The resamples are drawn once per
run with a fixed numpy seed and reused for every system, which is what makes
the comparison between two systems *paired*: both are scored on exactly the
same resampled test sets.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy

from .metrics import METRICS, prf_arrays

UNITS = ("article", "text")


@dataclass(frozen=True)
class BootstrapSettings:
    resamples: int = 1000
    seed: int = 0
    confidence: float = 0.95
    unit: str = "article"

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {self.unit!r}")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence}")
        if self.resamples < 1:
            raise ValueError(f"resamples must be at least 1, got {self.resamples}")


def unit_keys(ids: Sequence[str], groups: Sequence[str], unit: str) -> List[str]:
    if unit == "text":
        return [str(i) for i in ids]
    if unit == "article":
        return [str(g) for g in groups]
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")


def unit_counts(doc_counts: numpy.ndarray, keys: Sequence[str]) -> numpy.ndarray:
    """Sum per-text counts (texts, M, 4) into per-unit counts (units, M, 4), units in first-seen order."""
    order: Dict[str, int] = {}
    for key in keys:
        order.setdefault(key, len(order))
    out = numpy.zeros((len(order),) + doc_counts.shape[1:], dtype=doc_counts.dtype)
    numpy.add.at(out, [order[k] for k in keys], doc_counts)
    return out


def resample_weights(n_units: int, resamples: int, seed: int) -> numpy.ndarray:
    """How often each unit is drawn in each resample: shape (resamples, units)."""
    if n_units < 1:
        raise ValueError("cannot bootstrap an empty test set")
    rng = numpy.random.default_rng(seed)
    draws = rng.integers(0, n_units, size=(resamples, n_units))
    weights = numpy.zeros((resamples, n_units), dtype=numpy.int64)
    numpy.add.at(weights, (numpy.repeat(numpy.arange(resamples), n_units), draws.ravel()), 1)
    return weights


def resampled_counts(units: numpy.ndarray, weights: numpy.ndarray) -> numpy.ndarray:
    """Total counts of every resample: shape (resamples, M, 4)."""
    flat = units.reshape(units.shape[0], -1)
    return (weights @ flat).reshape((weights.shape[0],) + units.shape[1:])


def percentile_interval(values: numpy.ndarray, confidence: float) -> List[Optional[float]]:
    """The two-sided percentile interval of resampled values, NaNs (an empty resample) left out."""
    values = values[~numpy.isnan(values)]
    if values.size == 0:
        return [None, None]
    alpha = (1 - confidence) / 2
    lo, hi = numpy.quantile(values, [alpha, 1 - alpha])
    return [round(float(lo), 4), round(float(hi), 4)]


def intervals(
    units: numpy.ndarray, weights: numpy.ndarray, confidence: float, names: Sequence[str] = METRICS
) -> Dict[str, Dict[str, List]]:
    """Percentile intervals of P, R and F for every metric (``names``: what the counts' axis 1 holds)."""
    p, r, f = prf_arrays(resampled_counts(units, weights))
    return {
        name: {"p_ci": percentile_interval(p[:, i], confidence), "r_ci": percentile_interval(r[:, i], confidence), "f_ci": percentile_interval(f[:, i], confidence)}
        for i, name in enumerate(names)
    }


def paired_test(
    units_a: numpy.ndarray,
    units_b: numpy.ndarray,
    weights: numpy.ndarray,
    metrics: Sequence[str],
    confidence: float,
    names: Sequence[str] = METRICS,
) -> Dict[str, Dict[str, Optional[float]]]:
    """F of system A minus F of system B, its interval, and a two-sided p-value.

    The p-value is the share of resampled differences at least as far from
    the observed one as the observed one is from zero (the resampled
    differences, shifted to be centred on zero, stand for the null hypothesis
    of no difference): ``(1 + #{|d* - d| >= |d|}) / (1 + resamples)``.
    """
    if units_a.shape != units_b.shape:
        raise ValueError("paired test needs both systems scored on the same units")
    _, _, f_a = prf_arrays(units_a.sum(axis=0))
    _, _, f_b = prf_arrays(units_b.sum(axis=0))
    _, _, fa_star = prf_arrays(resampled_counts(units_a, weights))
    _, _, fb_star = prf_arrays(resampled_counts(units_b, weights))
    out = {}
    for name in metrics:
        i = list(names).index(name)
        observed = f_a[i] - f_b[i]
        if numpy.isnan(observed):
            out[name] = {"delta": None, "delta_ci": [None, None], "p_value": None}
            continue
        diffs = fa_star[:, i] - fb_star[:, i]
        diffs = diffs[~numpy.isnan(diffs)]
        extreme = int(numpy.sum(numpy.abs(diffs - observed) >= abs(observed) - 1e-12))
        out[name] = {
            "f_a": round(float(f_a[i]), 4),
            "f_b": round(float(f_b[i]), 4),
            "delta": round(float(observed), 4),
            "delta_ci": percentile_interval(diffs, confidence),
            "p_value": round((1 + extreme) / (1 + diffs.size), 4),
        }
    return out
