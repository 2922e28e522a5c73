"""The report, rendered from its JSON alone: Markdown, HTML with plots, and the README table.

Rendering only from the JSON means the README table, the Markdown report and
the HTML page can never disagree with the numbers in ``report.json``, and a
report can be re-rendered later without re-running anything. Tables are built
once as (header, rows) in ``report_tables`` and written as Markdown here or as
HTML in ``report_html``.
"""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from ..tables import markdown_table
from .report_html import render_html
from .report_tables import (
    DEFINITIONS, caption, comparison_table, confusion_table, cost_table, curve_table, cv_table, event_table,
    gold_table, label_table, summary_table,
)

README_START = "<!-- scores:start -->"
README_END = "<!-- scores:end -->"


def render_markdown(report: Dict[str, Any]) -> str:
    parts = ["# Evaluation report", "", "## Gold", "", f"Source: `{report['gold']['source']}`", "", markdown_table(*gold_table(report)), ""]
    parts += ["## Summary", "", markdown_table(*summary_table(report)), "", caption(report), ""]
    for system in report["systems"]:
        parts += [f"## {system['name']}", "", system["description"], ""]
        for note in system.get("notes", []):
            parts += [f"Note: {note}", ""]
        labels = label_table(system)
        if labels[1]:
            parts += [markdown_table(*labels), ""]
        events = event_table(system)
        if events[1]:
            parts += [markdown_table(*events), ""]
        if system.get("details", {}).get("rule_roles"):
            roles = ", ".join(f"{k}: {v}" for k, v in system["details"]["rule_roles"].items())
            parts += [f"Rule roles learned from {system['details']['training_texts']} training texts: {roles}.", ""]
        parts += [f"Texts with at least one strict error: {system['error_texts']}.", ""]
    if report["comparisons"]:
        parts += ["## Paired bootstrap comparisons", "", markdown_table(*comparison_table(report)), ""]
    main = report["systems"][0]
    parts += [f"## Label confusion ({main['name']})", "", markdown_table(*confusion_table(main)), ""]
    if report.get("cross_validation"):
        cv = report["cross_validation"]
        parts += [
            "## Cross-validation", "",
            f"{cv['folds']} folds grouped by article over {cv['texts']} train+dev sentences ({cv['articles']} articles), "
            f"seeds {cv['seeds']}; config `{cv['config']}`, overrides `{json.dumps(cv['overrides'])}`. "
            "Mean and spread over seeds of the pooled out-of-fold scores.", "",
            markdown_table(*cv_table(cv)), "",
        ]
    if report.get("learning_curve"):
        curve = report["learning_curve"]
        parts += [
            "## Learning curve", "",
            f"Trained on shares of {curve['train_texts_total']} training sentences (whole articles), scored on the "
            f"{curve['test_texts']} held-out test texts; seeds {curve['seeds']}.", "",
            markdown_table(*curve_table(curve)), "",
        ]
    parts += ["## Cost", "", markdown_table(*cost_table(report)), ""]
    parts += ["## Definitions", ""] + [f"- {d}" for d in DEFINITIONS] + [""]
    return "\n".join(parts)


def readme_table(report: Dict[str, Any]) -> str:
    """The README scores table: the summary table and its caption."""
    return markdown_table(*summary_table(report)) + "\n\n" + caption(report)


def update_readme(readme: Union[str, Path], report: Dict[str, Any]) -> bool:
    """Replace the text between the score markers in the README; True if it changed."""
    from ..readme import update_section

    return update_section(readme, README_START, README_END, readme_table(report))


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
