"""How the label scheme looks in doccano: a colour and a keyboard key per label.

Keys are the label's initial where that is free (o, p, d, m; MEETING takes
e, as m is MISSION's); relation types take the digits 1-4 in the order of
the role table. Colours are dark enough for doccano's white label text and
keep triggers (purple, magenta) apart from entities (blue, orange, green).
"""
from typing import Dict, List, Tuple

from ..pipeline.scheme import ROLES, SPAN_LABELS
from ..tables import markdown_table

SPAN_STYLE: Dict[str, Tuple[str, str]] = {
    "ORG": ("#1c64b4", "o"),
    "PERSON": ("#c2410c", "p"),
    "DATE": ("#2f7d32", "d"),
    "MISSION": ("#7b2cbf", "m"),
    "MEETING": ("#c2185b", "e"),
}
RELATION_STYLE: Dict[str, Tuple[str, str]] = {
    "AGENT": ("#37474f", "1"),
    "LEADER": ("#0d47a1", "2"),
    "PARTICIPANT": ("#b45309", "3"),
    "TIME": ("#00695c", "4"),
}


def span_types() -> List[Dict[str, str]]:
    """The five span labels as the driver's ``ensure_project`` expects them."""
    return [{"text": label, "color": SPAN_STYLE[label][0], "suffix_key": SPAN_STYLE[label][1]} for label in SPAN_LABELS]


def relation_types() -> List[Dict[str, str]]:
    """The four roles as relation types."""
    return [{"text": role, "color": RELATION_STYLE[role][0], "suffix_key": RELATION_STYLE[role][1]} for role in ROLES]


def legend() -> str:
    """A Markdown table of labels, colours and keys (for the README and the project guideline)."""
    rows = [[t["text"], kind, f"`{t['suffix_key']}`", f"`{t['color']}`"]
            for kind, types in (("span", span_types()), ("relation", relation_types())) for t in types]
    return markdown_table(["label", "kind", "key", "colour"], rows)
