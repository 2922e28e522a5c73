"""The report's plots as base64 PNGs (matplotlib, imported only when a plot is drawn)."""
import base64
import io
from typing import Any, Dict

from ..pipeline.scheme import SPAN_LABELS
from .report_tables import CURVE_METRICS, metric_entry


def _pyplot():
    try:
        import matplotlib
    except ImportError as err:
        raise ImportError("the HTML report's plots need matplotlib (pip install matplotlib)") from err
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    _pyplot().close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


F1_BARS = tuple((f"{l}.strict", "scores", l) for l in SPAN_LABELS) + (
    ("trig_i", "scores", "Trig-I"),
    ("arg_i", "scores", "Arg-I"),
    ("arg_c", "scores", "Arg-C"),
    ("arg_c", "scores_gold_input", "Arg-C\n(gold ents)"),
)


def f1_plot(report: Dict[str, Any]) -> str:
    """Grouped bars: F1 per label and event metric, one colour per system, interval whiskers."""
    plt = _pyplot()
    systems = report["systems"]
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / max(1, len(systems))
    for k, system in enumerate(systems):
        xs, ys, lows, highs = [], [], [], []
        for i, (metric, scores, _) in enumerate(F1_BARS):
            entry = metric_entry(system, scores, metric)
            if entry is None or entry["f"] is None:
                continue
            lo, hi = entry.get("f_ci", [None, None])
            xs.append(i - 0.4 + width * (k + 0.5))
            ys.append(100 * entry["f"])
            lows.append(100 * (entry["f"] - lo) if lo is not None else 0)
            highs.append(100 * (hi - entry["f"]) if hi is not None else 0)
        if xs:
            ax.bar(xs, ys, width, yerr=[lows, highs], capsize=2, label=system["name"])
    ax.set_xticks(range(len(F1_BARS)))
    ax.set_xticklabels([label for _, _, label in F1_BARS])
    ax.set_ylabel("F1 (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8, ncol=min(5, len(systems)), loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    ax.set_title(f"F1 with {report['bootstrap']['confidence']:.0%} bootstrap intervals")
    return _png(fig)


def curve_plot(curve: Dict[str, Any]) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    shares = [100 * p["share"] for p in curve["points"]]
    for metric, title in CURVE_METRICS:
        if metric not in curve["points"][0]["f"]:
            continue
        means = [p["f"][metric]["mean"] for p in curve["points"]]
        if any(m is None for m in means):
            continue
        sds = [p["f"][metric]["sd"] or 0.0 for p in curve["points"]]
        ys = [100 * m for m in means]
        ax.plot(shares, ys, marker="o", label=title)
        ax.fill_between(shares, [y - 100 * s for y, s in zip(ys, sds)], [y + 100 * s for y, s in zip(ys, sds)], alpha=0.2)
    ax.set_xlim(0, 105)
    ax.set_xlabel("share of training sentences (%)")
    ax.set_ylabel("F1 (%) on held-out test")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    ax.set_title(f"Learning curve (mean ± sd over seeds {curve['seeds']})")
    return _png(fig)


def confusion_plot(system: Dict[str, Any]) -> str:
    plt = _pyplot()
    labels, matrix = system["confusion"]["labels"], system["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    top = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, n in enumerate(row):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", color="white" if n > top / 2 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Label confusion: {system['name']}")
    return _png(fig)
