"""The HTML report: the same tables as the Markdown one, plus plots and displaCy renderings of errors."""
import html
from typing import Any, Dict, Sequence

from ..extract.html import COLORS
from .plots import confusion_plot, curve_plot, f1_plot
from .report_tables import (
    DEFINITIONS, Table, caption, comparison_table, confusion_table, cost_table, curve_table, cv_table, event_table,
    gold_table, label_table, summary_table,
)

def html_table(table: Table) -> str:
    header, rows = table
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
