"""Gold and predicted texts in the Output format, checked and matched by id.

Gold comes from the corpus format (doccano JSONL, a folder of it, or a DocBin
written by ``corpus convert``) through ``doc_to_output``, so gold and
predictions are compared in exactly one representation. A prediction file is
checked line by line and every problem is reported at once, with file, line
and span, because a malformed file would otherwise score as silent misses.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy.tokens import Doc

from ..corpus.convert import make_segmenter, read_docbin, records_to_docs
from ..corpus.records import read_corpus
from ..jsonl import read_json_lines, write_json_lines
from ..pipeline.events import Output, doc_to_output
from ..pipeline.scheme import ROLES, SPAN_LABELS, TRIGGER_LABELS


class PredictionError(ValueError):
    """A prediction file or set that cannot be scored; the message lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) with the predictions:\n{lines}{more}")


@dataclass
class GoldSet:
    """Gold texts in the Output format, with what the bootstrap and the gold-input setting need.

    ``groups`` names the article of every text, so intervals can resample whole
    articles (sentences of one article are not independent); ``docs`` keeps
    the gold Docs for running the argument component on gold entities.
    """

    outputs: List[Output]
    groups: List[str]
    docs: List[Doc] = field(default_factory=list)
    source: str = ""

    def __len__(self) -> int:
        return len(self.outputs)

    @property
    def ids(self) -> List[str]:
        return [str(o["id"]) for o in self.outputs]

    def subset(self, ids: Iterable[str]) -> "GoldSet":
        wanted = set(map(str, ids))
        keep = [i for i, o in enumerate(self.outputs) if str(o["id"]) in wanted]
        return GoldSet(
            [self.outputs[i] for i in keep],
            [self.groups[i] for i in keep],
            [self.docs[i] for i in keep] if self.docs else [],
            self.source,
        )


def gold_from_docs(docs: Sequence[Doc], source: str = "") -> GoldSet:
    """Gold Docs (with ``user_data['id']``, and ``['article']`` for sentences) -> GoldSet."""
    outputs, groups, seen = [], [], {}
    problems = []
    for n, doc in enumerate(docs):
        doc_id = doc.user_data.get("id")
        if doc_id is None:
            problems.append(f"{source}: document #{n} has no id (user_data['id'])")
            continue
        if str(doc_id) in seen:
            problems.append(f"{source}: duplicate document id {doc_id!r} (documents #{seen[str(doc_id)]} and #{n})")
            continue
        seen[str(doc_id)] = n
        outputs.append(doc_to_output(doc, doc_id))
        groups.append(str(doc.user_data.get("article", doc_id)))
    if problems:
        raise PredictionError(problems)
    return GoldSet(outputs, groups, list(docs), source)


def load_gold(path: Union[str, Path]) -> GoldSet:
    """Gold from a DocBin (``*.spacy``), a corpus JSONL file, or a folder of JSONL files."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"gold file not found: {path}")
    if path.suffix == ".spacy":
        docs = read_docbin(path)
    else:
        docs = records_to_docs(read_corpus([path]), make_segmenter())
    if not docs:
        raise ValueError(f"no gold texts in {path}")
    return gold_from_docs(docs, str(path))


def _check_span(obj: Any, text: str, where: str, what: str, problems: List[str]) -> Optional[Tuple[int, int]]:
    if not isinstance(obj, dict):
        problems.append(f"{where}: {what} must be an object, got {type(obj).__name__}")
        return None
    start, end = obj.get("start"), obj.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        problems.append(f"{where}: {what} needs integer 'start' and 'end', got {start!r}, {end!r}")
        return None
    if not 0 <= start < end <= len(text):
        problems.append(f"{where}: {what} [{start}, {end}) is empty or outside the text (length {len(text)})")
        return None
    if "text" in obj and obj["text"] != text[start:end]:
        problems.append(f"{where}: {what} [{start}, {end}) says {obj['text']!r} but the text there is {text[start:end]!r}")
    return start, end


def check_output(obj: Any, where: str) -> List[str]:
    """Every way one Output-format object departs from the label scheme's Output format."""
    problems: List[str] = []
    if not isinstance(obj, dict):
        return [f"{where}: expected a JSON object, got {type(obj).__name__}"]
    for key, kind in (("id", None), ("text", str), ("entities", list), ("events", list)):
        if key not in obj:
            problems.append(f"{where}: missing key {key!r} (an entity-only system writes \"events\": [])")
        elif kind is not None and not isinstance(obj[key], kind):
            problems.append(f"{where}: {key!r} must be a {kind.__name__}")
    if problems:
        return problems
    where = f"{where} (document {obj['id']!r})"
    text = obj["text"]
    for n, ent in enumerate(obj["entities"]):
        span = _check_span(ent, text, where, f"entity #{n}", problems)
        if span and ent.get("label") not in SPAN_LABELS:
            problems.append(f"{where}: entity #{n} {text[span[0]:span[1]]!r} has label {ent.get('label')!r}, not one of {', '.join(SPAN_LABELS)}")
    for n, event in enumerate(obj["events"]):
        if not isinstance(event, dict):
            problems.append(f"{where}: event #{n} must be an object")
            continue
        if event.get("type") not in TRIGGER_LABELS:
            problems.append(f"{where}: event #{n} has type {event.get('type')!r}, not one of {', '.join(TRIGGER_LABELS)}")
        _check_span(event.get("trigger"), text, where, f"event #{n} trigger", problems)
        arguments = event.get("arguments", [])
        if not isinstance(arguments, list):
            problems.append(f"{where}: event #{n} 'arguments' must be a list")
            continue
        for m, arg in enumerate(arguments):
            span = _check_span(arg, text, where, f"event #{n} argument #{m}", problems)
            if span and arg.get("role") not in ROLES:
                problems.append(
                    f"{where}: event #{n} argument #{m} {text[span[0]:span[1]]!r} has role {arg.get('role')!r}, not one of {', '.join(ROLES)}"
                )
    return problems


def read_predictions(path: Union[str, Path]) -> List[Output]:
    """Read and check a JSONL file in the Output format; raise listing every problem."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"predictions file not found: {path}")
    outputs, problems = [], []
    for line_no, obj, problem in read_json_lines(path):
        if problem:
            problems.append(f"{path}:{line_no}: {problem}")
            continue
        found = check_output(obj, f"{path}:{line_no}")
        problems.extend(found)
        if not found:
            outputs.append(obj)
    if problems:
        raise PredictionError(problems)
    return outputs


def write_predictions(path: Union[str, Path], outputs: Iterable[Output]) -> int:
    return write_json_lines(path, outputs)


def align(gold: GoldSet, predictions: Sequence[Output], source: str = "predictions") -> List[Output]:
    """The predictions in gold order, one per gold text; raise on any missing, extra or changed text.

    Scoring a subset of the gold, or a text that differs by a character, would
    give numbers that look right and mean something else, so all are errors.
    """
    problems = []
    by_id: Dict[str, Output] = {}
    for obj in predictions:
        key = str(obj["id"])
        if key in by_id:
            problems.append(f"{source}: duplicate prediction for document {obj['id']!r}")
        by_id[key] = obj
    gold_ids = set(gold.ids)
    extra = sorted(k for k in by_id if k not in gold_ids)
    if extra:
        problems.append(f"{source}: {len(extra)} prediction(s) for documents not in the gold {gold.source}: {', '.join(extra[:10])}")
    aligned = []
    for g in gold.outputs:
        key = str(g["id"])
        p = by_id.get(key)
        if p is None:
            problems.append(f"{source}: no prediction for gold document {g['id']!r} ({gold.source})")
            continue
        if p["text"] != g["text"]:
            at = next((i for i, (a, b) in enumerate(zip(p["text"], g["text"])) if a != b), min(len(p["text"]), len(g["text"])))
            problems.append(
                f"{source}: document {g['id']!r}: predicted text differs from the gold text at character {at} "
                f"(gold {g['text'][at:at + 30]!r}, predicted {p['text'][at:at + 30]!r})"
            )
            continue
        aligned.append(p)
    if problems:
        raise PredictionError(problems)
    return aligned
