"""``extract --html``: one page with every text's entities (displaCy) and events (a table).

Entities, triggers included, are drawn by displaCy's ``ent`` style in manual
mode, from the same Output dicts that go to the JSONL file, so the page shows
exactly what was written (also for long texts processed in pieces). Events
are listed under each text, one row per event: type, trigger, and its
arguments as ``ROLE: text [LABEL]``. displaCy has no style for n-ary events
(its ``dep`` style draws token arcs, not span-to-span links), and a table is
easy to read and to search in a browser. The page is written as the texts
arrive, so it does not hold all texts in memory.
"""
from html import escape
from pathlib import Path
from typing import Any, Dict, Union

from spacy import displacy

# displaCy's colours for the scheme's labels, in every HTML page of the project
# (extract --html and the evaluation report); doccano's darker ones are in annotate/labels.py.
COLORS = {
    "ORG": "#7aecec",
    "PERSON": "#aa9cfc",
    "DATE": "#bfe1d9",
    "MISSION": "#feca74",
    "MEETING": "#ff9561",
}

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 60em; }}
section {{ border-bottom: 1px solid #ddd; padding-bottom: 1em; margin-bottom: 1em; }}
table.events {{ border-collapse: collapse; margin-top: 0.5em; }}
table.events td, table.events th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }}
.none {{ color: #888; }}
</style>
</head>
<body>
<h1>{title}</h1>
"""
FOOT = """<p>{count} text(s).</p>
</body>
</html>
"""


def render_document(output: Dict[str, Any]) -> str:
    """One text as an HTML fragment: heading, displaCy entities, events table."""
    ents = [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in output["entities"]]
    drawing = displacy.render(
        {"text": output["text"], "ents": ents, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": COLORS},
    )
    rows = []
    for n, event in enumerate(output["events"], start=1):
        args = "<br>".join(
            f"{escape(a['role'])}: {escape(a['text'])} [{escape(a['label'])}]" for a in event["arguments"]
        ) or '<span class="none">no arguments</span>'
        rows.append(f"<tr><td>{n}</td><td>{escape(event['type'])}</td><td>{escape(event['trigger']['text'])}</td><td>{args}</td></tr>")
    events = (
        '<table class="events"><tr><th>#</th><th>event</th><th>trigger</th><th>arguments</th></tr>' + "".join(rows) + "</table>"
        if rows
        else '<p class="none">no events</p>'
    )
    return f'<section>\n<h2>{escape(str(output["id"]))}</h2>\n{drawing}\n{events}\n</section>\n'


class HtmlWriter:
    """Writes the page incrementally: head now, a section per text, the foot on close."""

    def __init__(self, path: Union[str, Path], title: str = "csto-events") -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("w", encoding="utf-8")
        self.file.write(HEAD.format(title=escape(title)))
        self.count = 0

    def add(self, output: Dict[str, Any]) -> None:
        self.file.write(render_document(output))
        self.count += 1

    def close(self) -> None:
        self.file.write(FOOT.format(count=self.count))
        self.file.close()
