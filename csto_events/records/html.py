"""The records page: a timeline of events an analyst can filter, each event linked to its sentence.

One self-contained HTML file (no network, no external script or font), so
it can be mailed or archived with the tables. The records travel inside the
page as JSON; a small script draws the timeline as SVG (one lane per event
type, a dot for a day, a bar for a longer span; undated events are placed
at the document's date, hollow), fills the list below it, and filters both
by type and organisation. The filter is kept in the address
(``page.html#type=MISSION&org=CSTO``), so a filtered view can be shared and
tests can open one in a real browser.
"""
import html
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Union

from .coreference import interval
from .table import EventRecord

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d2330;background:#fafafa}
h1{font-size:1.35rem;margin:0 0 .3rem}
.summary{color:#555;margin:0 0 1rem}
.filters{display:flex;gap:1rem;align-items:center;margin-bottom:.6rem;flex-wrap:wrap}
.filters label{font-size:.9rem}
#timeline{background:#fff;border:1px solid #d9dce3;border-radius:6px;width:100%;overflow-x:auto}
#timeline svg{display:block}
.lane-label{font-size:12px;font-weight:600;fill:#444}
.tick{font-size:11px;fill:#666}
.event{cursor:pointer}
.event:hover{stroke:#000;stroke-width:2}
.MISSION{fill:#c2410c;stroke:#c2410c}
.MEETING{fill:#1d4ed8;stroke:#1d4ed8}
.undated{fill:#fff;stroke-width:2}
.long{opacity:.45}
#events{list-style:none;padding:0;margin-top:1rem}
#events li{background:#fff;border:1px solid #d9dce3;border-left:5px solid #999;border-radius:4px;padding:.55rem .8rem;margin:.45rem 0}
#events li.MISSION{border-left-color:#c2410c}
#events li.MEETING{border-left-color:#1d4ed8}
#events li:target{outline:3px solid #f59e0b}
.head{font-weight:600}
.badge{font-size:.75rem;padding:.05rem .4rem;border-radius:3px;color:#fff;margin-right:.4rem}
.badge.MISSION{background:#c2410c}.badge.MEETING{background:#1d4ed8}
.meta{font-size:.88rem;color:#333;margin:.2rem 0}
.sentence{font-size:.92rem;color:#222;margin:.3rem 0 0}
mark{background:#fde68a;padding:0 .1rem}
.where{font-size:.8rem;color:#777}
"""

SCRIPT = r"""
(function () {
  const records = JSON.parse(document.getElementById("records-data").textContent);
  const typeSelect = document.getElementById("type");
  const orgSelect = document.getElementById("org");
  const orgs = [...new Set(records.flatMap(r => r.organisations))].sort();
  for (const org of orgs) { const o = document.createElement("option"); o.value = o.textContent = org; orgSelect.appendChild(o); }
  const day = s => new Date(s + "T00:00:00Z").getTime();
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has("type")) typeSelect.value = params.get("type");
    if (params.has("org")) orgSelect.value = params.get("org");
  }
  function writeHash() {
    const params = new URLSearchParams();
    if (typeSelect.value) params.set("type", typeSelect.value);
    if (orgSelect.value) params.set("org", orgSelect.value);
    history.replaceState(null, "", "#" + params.toString());
  }
  function shown() {
    return records.filter(r => (!typeSelect.value || r.type === typeSelect.value) && (!orgSelect.value || r.organisations.includes(orgSelect.value)));
  }
  const NS = "http://www.w3.org/2000/svg";
  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function drawTimeline(list) {
    const box = document.getElementById("timeline");
    box.innerHTML = "";
    const placed = list.filter(r => r.from);
    const width = Math.max(box.clientWidth || 900, 600), left = 90, right = 30, lane = 70, top = 20;
    const lanes = ["MISSION", "MEETING"];
    const height = top + lanes.length * lane + 40;
    const svg = el("svg", {width: width, height: height, id: "timeline-svg"});
    box.appendChild(svg);
    if (!placed.length) { svg.appendChild(el("text", {x: left, y: 40, class: "tick"}, "no dated events")); return; }
    let lo = Math.min(...placed.map(r => day(r.from))), hi = Math.max(...placed.map(r => day(r.to)));
    const pad = Math.max((hi - lo) * 0.04, 86400000 * 15); lo -= pad; hi += pad;
    const x = t => left + (t - lo) / (hi - lo) * (width - left - right);
    lanes.forEach((name, i) => {
      const y = top + i * lane + lane / 2;
      svg.appendChild(el("line", {x1: left, x2: width - right, y1: y, y2: y, stroke: "#e3e6ec"}));
      svg.appendChild(el("text", {x: 8, y: y + 4, class: "lane-label"}, name));
    });
    const axis = top + lanes.length * lane + 8;
    svg.appendChild(el("line", {x1: left, x2: width - right, y1: axis, y2: axis, stroke: "#999"}));
    const first = new Date(lo), spanDays = (hi - lo) / 86400000;
    const step = spanDays > 1500 ? 12 : spanDays > 700 ? 6 : spanDays > 250 ? 3 : 1;
    let tick = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - first.getUTCMonth() % step + step, 1));
    while (tick.getTime() < hi) {
      const tx = x(tick.getTime());
      svg.appendChild(el("line", {x1: tx, x2: tx, y1: axis, y2: axis + 5, stroke: "#999"}));
      svg.appendChild(el("text", {x: tx, y: axis + 18, class: "tick", "text-anchor": "middle"}, tick.toISOString().slice(0, 7)));
      tick = new Date(Date.UTC(tick.getUTCFullYear(), tick.getUTCMonth() + step, 1));
    }
    const stack = {};
    for (const r of placed) {
      const lx = x(day(r.from)), rx = Math.max(x(day(r.to)), lx + 8);
      const key = r.type + Math.round(lx / 10);
      const offset = ((stack[key] = (stack[key] || 0) + 1) - 1) % 5;
      const y = top + lanes.indexOf(r.type) * lane + lane / 2 - 16 + offset * 8;
      const link = el("a", {href: "#" + r.anchor, class: "event-link"});
      const cls = "event " + r.type + (r.dated ? "" : " undated") + (day(r.to) - day(r.from) > 86400000 * 120 ? " long" : "");
      const shape = rx - lx > 10 ? el("rect", {x: lx, y: y - 4, width: rx - lx, height: 8, rx: 3, class: cls})
                                 : el("circle", {cx: lx + 4, cy: y, r: 5, class: cls});
      shape.appendChild(el("title", {}, r.type + " " + r.trigger + " · " + (r.start || "reported " + r.reported) + (r.end && r.end !== r.start ? " – " + r.end : "") + " · " + r.document));
      link.appendChild(shape);
      svg.appendChild(link);
    }
  }
  function render() {
    const list = shown();
    const visible = new Set(list.map(r => r.anchor));
    for (const item of document.querySelectorAll("#events li")) item.hidden = !visible.has(item.id);
    document.getElementById("count").textContent = list.length + " of " + records.length + " events";
    drawTimeline(list);
  }
  typeSelect.addEventListener("change", () => { writeHash(); render(); });
  orgSelect.addEventListener("change", () => { writeHash(); render(); });
  readHash();
  render();
  document.body.setAttribute("data-rendered", "true");
})();
"""


def _payload(record: EventRecord) -> Dict[str, Any]:
    start = interval(record.start)
    end = interval(record.end) or start
    reported = interval(record.reported)
    span_from, span_to, dated = (start[0], end[1], True) if start else ((reported[0], reported[1], False) if reported else (None, None, False))
    return {
        "anchor": _anchor(record), "document": record.document, "type": record.type, "trigger": record.trigger,
        "start": record.start, "end": record.end, "reported": record.reported, "organisations": record.organisations,
        "from": span_from.isoformat() if span_from else "", "to": span_to.isoformat() if span_to else "", "dated": dated,
    }


def _anchor(record: EventRecord) -> str:
    return "ev-" + "".join(c if c.isalnum() else "-" for c in record.event)


def _item(record: EventRecord) -> str:
    s = record.sentence
    a, b = record.trigger_start - record.sentence_start, record.trigger_end - record.sentence_start
    sentence = html.escape(s[:a]) + "<mark>" + html.escape(s[a:b]) + "</mark>" + html.escape(s[b:])
    when = record.start + (f" – {record.end}" if record.end and record.end != record.start else "") if record.start else f"undated (reported {record.reported or 'unknown'})"
    rows = [("agent", record.agent), ("leader", record.leader), ("participants", record.participants)]
    meta = " · ".join(f"{name}: {html.escape(', '.join(values))}" for name, values in rows if values)
    mentions = f"{len(record.mentions)} mentions" if len(record.mentions) > 1 else "1 mention"
    return (
        f'<li id="{_anchor(record)}" class="{record.type}">'
        f'<div class="head"><span class="badge {record.type}">{record.type}</span>{html.escape(record.trigger)} · {html.escape(when)}</div>'
        f'<div class="meta">{meta or "no arguments"}</div>'
        f'<p class="sentence">{sentence}</p>'
        f'<div class="where">{html.escape(record.document)}, characters {record.trigger_start}–{record.trigger_end} · {mentions}</div></li>'
    )


def render_page(records: Sequence[EventRecord], title: str = "csto-events: event records") -> str:
    """The whole page as a string."""
    data = json.dumps([_payload(r) for r in records], ensure_ascii=False).replace("</", "<\\/")
    documents = len({r.document for r in records})
    items = "\n".join(_item(r) for r in records)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="summary">{len(records)} events from {documents} documents. A dot is a day, a bar a longer span (pale if over four months); a hollow dot is an event without a date, placed at its document's date. Click an event to read its sentence.</p>
<div class="filters">
<label>Type <select id="type"><option value="">all</option><option>MISSION</option><option>MEETING</option></select></label>
<label>Organisation <select id="org"><option value="">all</option></select></label>
<span id="count"></span>
</div>
<div id="timeline"></div>
<ul id="events">
{items}
</ul>
<script type="application/json" id="records-data">{data}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def write_page(records: Sequence[EventRecord], path: Union[str, Path], title: str = "csto-events: event records") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(records, title), encoding="utf-8")
    return path
