"""The report, rendered from its JSON alone: Markdown, HTML with plots, and the README table.

Rendering only from the JSON means the README table, the Markdown report and
the HTML page can never disagree with the numbers in ``report.json``, and a
report can be re-rendered later without re-running anything. Tables are built
once as (header, rows) and written as Markdown or HTML.
"""
import base64
import html
import io
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..pipeline.scheme import ROLES, SPAN_LABELS

Table = Tuple[List[str], List[List[str]]]
DASH = "—"
README_START = "<!-- scores:start -->"
README_END = "<!-- scores:end -->"

METRIC_NAMES = {
    "entities.strict": "Entities (strict)",
    "entities.partial": "Entities (partial)",
    "triggers.strict": "Triggers (strict)",
    "triggers.partial": "Triggers (partial)",
    "trig_i": "Trig-I",
    "trig_c": "Trig-C",
    "arg_i": "Arg-I",
    "arg_c": "Arg-C",
}
# README / summary columns: (title, score set, metric)
SUMMARY_COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ("Entities F", "scores", "entities.strict"),
    ("Trig-I F", "scores", "trig_i"),
    ("Trig-C F", "scores", "trig_c"),
    ("Arg-I F", "scores", "arg_i"),
    ("Arg-C F", "scores", "arg_c"),
    ("Arg-C F (gold entities)", "scores_gold_input", "arg_c"),
)


def pct(x: Optional[float]) -> str:
    return DASH if x is None else f"{100 * x:.1f}"


def with_ci(entry: Optional[Dict[str, Any]], key: str = "f") -> str:
    if not entry or entry.get(key) is None:
        return DASH
    lo, hi = entry.get(f"{key}_ci", [None, None])
    if lo is None:
        return pct(entry[key])
    return f"{pct(entry[key])} ({pct(lo)}–{pct(hi)})"


def metric_entry(system: Dict[str, Any], scores: str, metric: str) -> Optional[Dict[str, Any]]:
    table = system.get(scores) or {}
    return table.get(metric)


# ---------------------------------------------------------------- tables


def summary_table(report: Dict[str, Any]) -> Table:
    header = ["System"] + [title for title, _, _ in SUMMARY_COLUMNS]
    rows = [
        [system["name"]] + [with_ci(metric_entry(system, s, m)) for _, s, m in SUMMARY_COLUMNS]
        for system in report["systems"]
    ]
    return header, rows


def label_table(system: Dict[str, Any]) -> Table:
    header = ["Label", "gold", "pred", "P", "R", "F (95% CI)", "partial P", "partial R", "partial F (95% CI)"]
    rows = []
    labels = list(SPAN_LABELS) + ["entities", "triggers"]
    for label in labels:
        strict, partial = metric_entry(system, "scores", f"{label}.strict"), metric_entry(system, "scores", f"{label}.partial")
        if strict is None:
            continue
        name = {"entities": "micro ORG+PERSON+DATE", "triggers": "micro MISSION+MEETING"}.get(label, label)
        rows.append([
            name, str(strict["gold"]), str(strict["pred"]), pct(strict["p"]), pct(strict["r"]), with_ci(strict),
            pct(partial["p"]), pct(partial["r"]), with_ci(partial),
        ])
    return header, rows


def event_table(system: Dict[str, Any]) -> Table:
    header = ["Metric", "setting", "gold", "pred", "P", "R", "F (95% CI)"]
    rows = []
    metrics = ["trig_i", "trig_c", "arg_i", "arg_c"] + [f"arg_i.{r}" for r in ROLES] + [f"arg_c.{r}" for r in ROLES]
    for scores, setting in (("scores", "end to end"), ("scores_gold_input", "gold entities")):
        for metric in metrics:
            entry = metric_entry(system, scores, metric)
            if entry is None:
                continue
            head, _, role = metric.partition(".")
            name = METRIC_NAMES.get(head, head) + (f" {role}" if role else "")
            rows.append([name, setting, str(entry["gold"]), str(entry["pred"]), pct(entry["p"]), pct(entry["r"]), with_ci(entry)])
    return header, rows


def comparison_table(report: Dict[str, Any]) -> Table:
    header = ["A", "B", "Metric", "F A", "F B", "A − B (95% CI)", "p"]
    rows = []
    for comparison in report["comparisons"]:
        for metric, test in comparison["tests"].items():
            if test.get("delta") is None:
                continue
            setting, _, base = metric.rpartition(".") if metric.startswith("gold_input.") else ("", "", metric)
            name = METRIC_NAMES.get(base, base) + (" (gold entities)" if setting else "")
            lo, hi = test["delta_ci"]
            delta = f"{100 * test['delta']:+.1f} ({100 * lo:+.1f} to {100 * hi:+.1f})" if lo is not None else f"{100 * test['delta']:+.1f}"
            rows.append([comparison["a"], comparison["b"], name, pct(test["f_a"]), pct(test["f_b"]), delta, f"{test['p_value']:.3f}"])
    return header, rows


def confusion_table(system: Dict[str, Any]) -> Table:
    labels = system["confusion"]["labels"]
    header = ["gold \\ predicted"] + labels
    rows = [[g] + [str(n) for n in row] for g, row in zip(labels, system["confusion"]["matrix"])]
    return header, rows


def cv_table(cv: Dict[str, Any]) -> Table:
    header = ["Metric", "mean F", "sd over seeds", "min", "max", "sd over folds"]
    rows = []
    metrics = [f"{l}.strict" for l in SPAN_LABELS] + ["entities.strict", "trig_i", "trig_c", "arg_i", "arg_c"]
    for metric in metrics:
        s, fs = cv["summary"].get(metric), cv["fold_summary"].get(metric)
        if not s or s["mean"] is None:
            continue
        name = METRIC_NAMES.get(metric, metric.replace(".strict", ""))
        rows.append([name, pct(s["mean"]), pct(s["sd"]), pct(s["min"]), pct(s["max"]), pct(fs["sd"])])
    for metric, s in (cv.get("summary_gold_input") or {}).items():
        if metric in ("arg_i", "arg_c") and s["mean"] is not None:
            rows.append([METRIC_NAMES[metric] + " (gold entities)", pct(s["mean"]), pct(s["sd"]), pct(s["min"]), pct(s["max"]), ""])
    return header, rows


CURVE_METRICS = (("entities.strict", "Entities"), ("trig_c", "Trig-C"), ("arg_c", "Arg-C"), ("gold_input.arg_c", "Arg-C (gold entities)"))


def curve_table(curve: Dict[str, Any]) -> Table:
    present = [(m, t) for m, t in CURVE_METRICS if m in curve["points"][0]["f"]]
    header = ["Share", "train sentences"] + [f"{t} F (mean ± sd)" for _, t in present]
    rows = []
    for point in curve["points"]:
        cells = [f"{point['share']:.0%}", f"{point['train_texts']['mean']:.0f}"]
        for metric, _ in present:
            s = point["f"][metric]
            cells.append(DASH if s["mean"] is None else f"{pct(s['mean'])} ± {pct(s['sd'])}")
        rows.append(cells)
    return header, rows


def gold_table(report: Dict[str, Any]) -> Table:
    gold = report["gold"]
    header = ["texts", "articles"] + list(SPAN_LABELS) + list(ROLES)
    row = [str(gold["texts"]), str(gold["articles"])] + [str(gold.get(f"span:{l}", 0)) for l in SPAN_LABELS]
    row += [str(gold.get(f"link:{r}", 0)) for r in ROLES]
    return header, [row]


def cost_table(report: Dict[str, Any]) -> Table:
    rows = [[system["name"], f"{system['seconds']:.1f}"] for system in report["systems"]]
    for key, value in report.get("seconds", {}).items():
        rows.append([f"step: {key}", f"{value:.1f}"])
    for part in ("cross_validation", "learning_curve"):
        if report.get(part):
            p = report[part]
            rows.append([f"{part.replace('_', ' ')} ({p['runs']} trainings, {p['seconds_per_run']:.0f}s each)", f"{p['seconds']:.1f}"])
    return ["What", "seconds"], rows


def markdown_table(table: Table) -> str:
    header, rows = table

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def html_table(table: Table) -> str:
    header, rows = table
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---------------------------------------------------------------- text


def caption(report: Dict[str, Any]) -> str:
    b = report["bootstrap"]
    return (
        f"F1 (%) on {report['gold']['texts']} gold texts ({report['gold']['source']}); in brackets the "
        f"{b['confidence']:.0%} bootstrap interval ({b['resamples']} resamples of {b['units']} {b['unit']}s, seed {b['seed']}). "
        f"{DASH} = the system does not predict this. Entities: micro over ORG, PERSON, DATE, exact span and label."
    )


DEFINITIONS = [
    "strict: same start, end and label; partial: a predicted span of the label overlaps a gold span of the label "
    "(precision counts predicted spans that overlap, recall gold spans that are overlapped).",
    "Trig-I: the trigger span matches; Trig-C: span and type (MISSION/MEETING) match.",
    "Arg-I: (trigger span, argument span) matches; Arg-C: trigger span and type, argument span and role match. "
    "Per role, Arg-C restricts both sides to the role; Arg-I per role files a predicted pair under the gold "
    "role of the pair it matches (under its own role if it matches nothing).",
    "Every gold argument counts: an argument whose trigger or entity was not predicted is a miss.",
    "end to end: from the pipeline's own entities and triggers; gold entities: the argument component alone, "
    "run on the gold entities and triggers.",
    "Intervals: percentile bootstrap over units (articles: all sentences of an article together, or texts). "
    "Comparisons: paired bootstrap on the same resamples; p is two-sided, "
    "(1 + #{|d* − d| ≥ |d|}) / (1 + resamples).",
]


def render_markdown(report: Dict[str, Any]) -> str:
    parts = ["# Evaluation report", "", "## Gold", "", f"Source: `{report['gold']['source']}`", "", markdown_table(gold_table(report)), ""]
    parts += ["## Summary", "", markdown_table(summary_table(report)), "", caption(report), ""]
    for system in report["systems"]:
        parts += [f"## {system['name']}", "", system["description"], ""]
        for note in system.get("notes", []):
            parts += [f"Note: {note}", ""]
        labels = label_table(system)
        if labels[1]:
            parts += [markdown_table(labels), ""]
        events = event_table(system)
        if events[1]:
            parts += [markdown_table(events), ""]
        if system.get("details", {}).get("rule_roles"):
            roles = ", ".join(f"{k}: {v}" for k, v in system["details"]["rule_roles"].items())
            parts += [f"Rule roles learned from {system['details']['training_texts']} training texts: {roles}.", ""]
        parts += [f"Texts with at least one strict error: {system['error_texts']}.", ""]
    if report["comparisons"]:
        parts += ["## Paired bootstrap comparisons", "", markdown_table(comparison_table(report)), ""]
    main = report["systems"][0]
    parts += [f"## Label confusion ({main['name']})", "", markdown_table(confusion_table(main)), ""]
    if report.get("cross_validation"):
        cv = report["cross_validation"]
        parts += [
            "## Cross-validation", "",
            f"{cv['folds']} folds grouped by article over {cv['texts']} train+dev sentences ({cv['articles']} articles), "
            f"seeds {cv['seeds']}; config `{cv['config']}`, overrides `{json.dumps(cv['overrides'])}`. "
            "Mean and spread over seeds of the pooled out-of-fold scores.", "",
            markdown_table(cv_table(cv)), "",
        ]
    if report.get("learning_curve"):
        curve = report["learning_curve"]
        parts += [
            "## Learning curve", "",
            f"Trained on shares of {curve['train_texts_total']} training sentences (whole articles), scored on the "
            f"{curve['test_texts']} held-out test texts; seeds {curve['seeds']}.", "",
            markdown_table(curve_table(curve)), "",
        ]
    parts += ["## Cost", "", markdown_table(cost_table(report)), ""]
    parts += ["## Definitions", ""] + [f"- {d}" for d in DEFINITIONS] + [""]
    return "\n".join(parts)


def readme_table(report: Dict[str, Any]) -> str:
    """The README scores table: the summary table and its caption."""
    return markdown_table(summary_table(report)) + "\n\n" + caption(report)


def update_readme(readme: Union[str, Path], report: Dict[str, Any]) -> bool:
    """Replace the text between the score markers in the README; True if it changed."""
    from ..readme import update_section

    return update_section(readme, README_START, README_END, readme_table(report))


# ---------------------------------------------------------------- plots


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


# ---------------------------------------------------------------- html

COLORS = {"ORG": "#7aecec", "PERSON": "#aa9cfc", "DATE": "#bfe1d9", "MISSION": "#feca74", "MEETING": "#ff9561"}
CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 75em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.example { border-top: 1px solid #ddd; margin-top: 1em; padding-top: 0.5em; }
.example h2 { font-size: 0.85em; color: #666; margin: 0.6em 0 0.2em; text-transform: uppercase; }
.args { font-size: 0.9em; }
.missed { color: #b00; } .spurious { color: #a60; }
"""


def _displacy(text: str, entities: Sequence[Dict[str, Any]], title: str) -> str:
    from spacy import displacy

    data = {"text": text, "ents": sorted(entities, key=lambda e: e["start"]), "title": title}
    return displacy.render([data], style="ent", manual=True, page=False, jupyter=False, options={"colors": COLORS})


def _arg_line(arg: Dict[str, Any]) -> str:
    return html.escape(f"{arg['type']} “{arg['trigger']}” —{arg['role']}→ “{arg['argument']}”")


def error_section(system: Dict[str, Any]) -> str:
    parts = [f"<h2>Errors: {html.escape(system['name'])}</h2>",
             f"<p>{system['error_texts']} text(s) with at least one strict error; the first {len(system['error_examples'])} in gold order.</p>"]
    for example in system["error_examples"]:
        parts.append(f"<div class='example'><h3>{html.escape(str(example['id']))}</h3>")
        parts.append(_displacy(example["text"], example["gold_entities"], "gold"))
        parts.append(_displacy(example["text"], example["predicted_entities"], "predicted"))
        items = [f"<li class='missed'>missed span: {html.escape(s['label'])} “{html.escape(s['text'])}”</li>" for s in example["missed_spans"]]
        items += [f"<li class='spurious'>spurious span: {html.escape(s['label'])} “{html.escape(s['text'])}”</li>" for s in example["spurious_spans"]]
        items += [f"<li class='missed'>missed argument: {_arg_line(a)}</li>" for a in example["missed_arguments"]]
        items += [f"<li class='spurious'>spurious argument: {_arg_line(a)}</li>" for a in example["spurious_arguments"]]
        parts.append(f"<ul class='args'>{''.join(items)}</ul></div>")
    return "\n".join(parts)


def _img(png: str, alt: str) -> str:
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>"


def render_html(report: Dict[str, Any]) -> str:
    main = report["systems"][0]
    body = ["<h1>Evaluation report</h1>", f"<p>Gold: <code>{html.escape(report['gold']['source'])}</code></p>", html_table(gold_table(report))]
    body += ["<h2>Summary</h2>", html_table(summary_table(report)), f"<p>{html.escape(caption(report))}</p>"]
    body += [_img(f1_plot(report), "F1 per label with intervals")]
    for system in report["systems"]:
        body += [f"<h2>{html.escape(system['name'])}</h2>", f"<p>{html.escape(system['description'])}</p>"]
        body += [f"<p>Note: {html.escape(n)}</p>" for n in system.get("notes", [])]
        for table in (label_table(system), event_table(system)):
            if table[1]:
                body.append(html_table(table))
    if report["comparisons"]:
        body += ["<h2>Paired bootstrap comparisons</h2>", html_table(comparison_table(report))]
    body += [f"<h2>Label confusion ({html.escape(main['name'])})</h2>", _img(confusion_plot(main), "confusion matrix"),
             html_table(confusion_table(main))]
    if report.get("cross_validation"):
        body += ["<h2>Cross-validation</h2>", html_table(cv_table(report["cross_validation"]))]
    if report.get("learning_curve"):
        body += ["<h2>Learning curve</h2>", _img(curve_plot(report["learning_curve"]), "learning curve"),
                 html_table(curve_table(report["learning_curve"]))]
    body += ["<h2>Cost</h2>", html_table(cost_table(report))]
    body += ["<h2>Definitions</h2>", "<ul>" + "".join(f"<li>{html.escape(d)}</li>" for d in DEFINITIONS) + "</ul>"]
    body.append(error_section(main))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>csto-events evaluation</title>"
        f"<style>{CSS}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )


# ---------------------------------------------------------------- files


def write_report(report: Dict[str, Any], output_dir: Union[str, Path], predictions: Optional[Dict[str, List[Dict]]] = None, html_page: bool = True) -> List[Path]:
    """report.json, report.md, report.html and predictions/<system>.jsonl; returns the paths written."""
    from .documents import write_predictions

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    path = output_dir / "report.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    path = output_dir / "report.md"
    path.write_text(render_markdown(report), encoding="utf-8")
    written.append(path)
    if html_page:
        path = output_dir / "report.html"
        path.write_text(render_html(report), encoding="utf-8")
        written.append(path)
    for name, outputs in (predictions or {}).items():
        path = output_dir / "predictions" / f"{safe_name(name)}.jsonl"
        write_predictions(path, outputs)
        written.append(path)
    return written


def safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-") or "system"


def read_report(path: Union[str, Path]) -> Dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"report not found: {path} (run `csto-events evaluate run` first)")
    return json.loads(path.read_text(encoding="utf-8"))
