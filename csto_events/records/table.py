"""Event records: one row per event of a document, from its mentions.

An analyst's question is "which missions and meetings happened, who sent,
led or attended them, and when", so a record is the event, not the
mention: the union of its mentions' arguments under canonical names (the
same person named twice is one participant), its dates normalised to a
start and an end, and the sentence of its main mention with character
offsets back into the text, so every cell can be checked against the source.
"""
import csv
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .coreference import cluster_mentions, interval, mentions as event_mentions
from .dates import add_date_values
from .names import add_canonical

Output = Dict[str, Any]
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n")
CSV_COLUMNS = [
    "document", "event", "type", "trigger", "mentions", "agent", "leader", "participants", "start", "end",
    "time", "reported", "organisations", "sentence", "trigger_start", "trigger_end", "sentence_start", "sentence_end",
]


@dataclass
class EventRecord:
    document: str
    event: str  # "<document>#<n>", n counted from 1 in text order
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    mentions: List[Tuple[int, int, str]]  # every trigger of the event: start, end, text
    agent: List[str] = field(default_factory=list)
    leader: List[str] = field(default_factory=list)
    participants: List[str] = field(default_factory=list)
    start: str = ""  # ISO 8601 at the text's granularity ("2022-09", "2023-03-16"), "" if unknown
    end: str = ""
    time: List[str] = field(default_factory=list)  # every TIME value (durations and frequencies included)
    reported: str = ""  # the document's date
    organisations: List[str] = field(default_factory=list)  # the ORG arguments, canonical (the page's filter)
    sentence: str = ""
    sentence_start: int = 0
    sentence_end: int = 0

    def to_row(self) -> Dict[str, Any]:
        row = asdict(self)
        for key in ("agent", "leader", "participants", "time", "organisations"):
            row[key] = "; ".join(row[key])
        row["mentions"] = len(self.mentions)
        return {key: row[key] for key in CSV_COLUMNS}


def sentence_bounds(text: str, start: int, end: int) -> Tuple[int, int]:
    """The sentence around ``[start, end)``: after ``.``/``!``/``?`` and a space, or at a line break (the scheme's sentences)."""
    left = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    following = SENTENCE_END.search(text, end)
    right = following.end() if following and following.group() != "\n" else (following.start() if following else len(text))
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _calendar(values: Sequence[str]) -> Tuple[str, str]:
    """Start and end of the calendar values, each written at its own granularity; a duration extends a lone day."""
    spans = [(interval(v), v) for v in values]
    dated = [(span, v) for span, v in spans if span is not None]
    if not dated:
        return "", ""
    first = min(dated, key=lambda item: (item[0][0], item[0][1]))
    last = max(dated, key=lambda item: (item[0][1], item[0][0]))
    start = first[1].split("/")[0]
    end = last[1].split("/")[-1]
    if start == end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
        days = [int(m.group(1)) for m in (re.fullmatch(r"P(\d+)D", v) for v in values) if m]
        if days and days[0] > 1:
            end = (dt.date.fromisoformat(start) + dt.timedelta(days=days[0] - 1)).isoformat()
    return start, end


def _union(names: Iterable[str]) -> List[str]:
    seen: Dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def enrich(output: Output, doc_date: Optional[dt.date]) -> Output:
    """The Output with DATE values and canonical names added (in place)."""
    add_date_values(output, doc_date)
    add_canonical(output)
    return output


def build_records(output: Output, doc_date: Optional[dt.date] = None, clusters: Optional[List[List[int]]] = None) -> List[EventRecord]:
    """One record per event of an enriched Output (see ``enrich``); ``clusters`` default to the rules' clusters."""
    text = output["text"]
    events = output.get("events", [])
    clusters = cluster_mentions(output) if clusters is None else clusters
    by_span = {(e["start"], e["end"]): e for e in output.get("entities", [])}
    headline = {m.index for m in event_mentions(output) if m.headline}
    document = str(output.get("id"))
    records = []
    for cluster in sorted(clusters, key=lambda c: min(events[i]["trigger"]["start"] for i in c)):
        members = sorted(cluster, key=lambda i: events[i]["trigger"]["start"])
        main = next((i for i in members if i not in headline), members[0])
        trigger = events[main]["trigger"]
        roles: Dict[str, List[str]] = {"AGENT": [], "LEADER": [], "PARTICIPANT": [], "TIME": []}
        organisations: List[str] = []
        for i in members:
            for argument in events[i]["arguments"]:
                entity = by_span.get((argument["start"], argument["end"]), argument)
                if argument["role"] == "TIME":
                    roles["TIME"].append(entity.get("value") or argument["text"])
                else:
                    roles[argument["role"]].append(entity.get("canonical") or argument["text"])
                    if argument.get("label") == "ORG":
                        organisations.append(entity.get("canonical") or argument["text"])
        start, end = _calendar(roles["TIME"])
        left, right = sentence_bounds(text, trigger["start"], trigger["end"])
        records.append(EventRecord(
            document=document, event=f"{document}#{len(records) + 1}", type=events[main]["type"], trigger=trigger["text"],
            trigger_start=trigger["start"], trigger_end=trigger["end"],
            mentions=[(events[i]["trigger"]["start"], events[i]["trigger"]["end"], events[i]["trigger"]["text"]) for i in members],
            agent=_union(roles["AGENT"]), leader=_union(roles["LEADER"]), participants=_union(roles["PARTICIPANT"]),
            start=start, end=end, time=_union(roles["TIME"]), reported=doc_date.isoformat() if doc_date else "",
            organisations=_union(organisations),
            sentence=text[left:right], sentence_start=left, sentence_end=right,
        ))
    return records


def write_tables(records: Sequence[EventRecord], folder: Union[str, Path]) -> Tuple[Path, Path]:
    """``records.csv`` (one row per event, lists joined with "; ") and ``records.jsonl`` (lists kept) in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, jsonl_path = folder / "records.csv", folder / "records.jsonl"
    with csv_path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow(record.to_row())
    with jsonl_path.open("w", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
    return csv_path, jsonl_path
