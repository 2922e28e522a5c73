"""Bootstrap intervals and the paired test on small count arrays with known behaviour."""
import numpy
import pytest

from csto_events.evaluation.bootstrap import (
    BootstrapSettings, intervals, paired_test, resample_weights, resampled_counts, unit_counts, unit_keys,
)
from csto_events.evaluation.metrics import INDEX, METRICS


def counts_for(per_text):
    """per_text: [(tp, pred, gold)] for the metric 'entities.strict'; other metrics empty."""
    out = numpy.zeros((len(per_text), len(METRICS), 4), dtype=numpy.int64)
    for i, (tp, pred, gold) in enumerate(per_text):
        out[i, INDEX["entities.strict"]] = (tp, pred, tp, gold)
    return out


def test_weights_are_deterministic_and_draw_every_unit_count():
    a, b = resample_weights(7, 50, seed=3), resample_weights(7, 50, seed=3)
    assert (a == b).all()
    assert (a.sum(axis=1) == 7).all()
    assert not (a == resample_weights(7, 50, seed=4)).all()


def test_unit_counts_sum_the_sentences_of_an_article():
    counts = counts_for([(1, 1, 1), (0, 1, 2), (2, 2, 2)])
    keys = unit_keys(["a#0", "a#1", "b#0"], ["a", "a", "b"], "article")
    units = unit_counts(counts, keys)
    assert units.shape[0] == 2
    assert tuple(units[0, INDEX["entities.strict"]]) == (1, 2, 1, 3)
    assert unit_counts(counts, unit_keys(["a#0", "a#1", "b#0"], ["a", "a", "b"], "text")).shape[0] == 3


def test_identical_units_give_a_zero_width_interval():
    units = counts_for([(1, 2, 2)] * 10)
    ci = intervals(units, resample_weights(10, 200, 0), 0.95)["entities.strict"]
    assert ci["f_ci"] == [0.5, 0.5] and ci["p_ci"] == [0.5, 0.5]
    assert ci["r_ci"] == [0.5, 0.5]


def test_interval_brackets_the_point_estimate_and_empty_metrics_have_none():
    units = counts_for([(1, 1, 1), (0, 1, 1), (1, 1, 1), (1, 1, 2), (0, 2, 1), (1, 1, 1)])
    ci = intervals(units, resample_weights(6, 1000, 0), 0.95)
    lo, hi = ci["entities.strict"]["f_ci"]
    total = units.sum(axis=0)[INDEX["entities.strict"]]
    f = 2 * total[0] / (total[1] + total[3])
    assert lo <= f <= hi and lo < hi
    assert ci["arg_c"]["f_ci"] == [None, None]


def test_paired_test_of_a_system_with_itself_finds_no_difference():
    units = counts_for([(1, 1, 2), (0, 1, 1), (2, 2, 2), (1, 2, 1)])
    result = paired_test(units, units, resample_weights(4, 500, 0), ["entities.strict"], 0.95)["entities.strict"]
    assert result["delta"] == 0.0 and result["delta_ci"] == [0.0, 0.0]
    assert result["p_value"] == 1.0


def test_paired_test_detects_a_clearly_better_system():
    n = 40
    better = counts_for([(1, 1, 1)] * n)
    worse = counts_for([(0, 1, 1)] * (n // 2) + [(1, 1, 1)] * (n // 2))
    weights = resample_weights(n, 1000, 0)
    result = paired_test(better, worse, weights, ["entities.strict"], 0.95)["entities.strict"]
    assert result["delta"] == 0.5
    assert result["delta_ci"][0] > 0
    assert result["p_value"] < 0.01
    reverse = paired_test(worse, better, weights, ["entities.strict"], 0.95)["entities.strict"]
    assert reverse["delta"] == -0.5 and reverse["delta_ci"][1] < 0


def test_resampled_counts_match_a_direct_sum():
    units = counts_for([(1, 1, 2), (0, 1, 1), (2, 2, 2)])
    weights = numpy.array([[3, 0, 0], [0, 1, 2]])
    out = resampled_counts(units, weights)
    assert tuple(out[0, INDEX["entities.strict"]]) == (3, 3, 3, 6)
    assert tuple(out[1, INDEX["entities.strict"]]) == (4, 5, 4, 5)


def test_settings_reject_nonsense():
    with pytest.raises(ValueError, match="unit"):
        BootstrapSettings(unit="paragraph")
    with pytest.raises(ValueError, match="confidence"):
        BootstrapSettings(confidence=95)
