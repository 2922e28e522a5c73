"""The label scheme of ``docs/label-scheme.md`` as data.

This module is shipped inside the packaged pipeline (``spacy package --code``),
so it imports nothing from the rest of ``csto_events``: the trained pipeline
must know its role table without this repository installed.
"""
from typing import Dict, FrozenSet, Tuple

ENTITY_LABELS: Tuple[str, ...] = ("ORG", "PERSON", "DATE")
TRIGGER_LABELS: Tuple[str, ...] = ("MISSION", "MEETING")
SPAN_LABELS: Tuple[str, ...] = ENTITY_LABELS + TRIGGER_LABELS
ROLES: Tuple[str, ...] = ("AGENT", "LEADER", "PARTICIPANT", "TIME")

# Span boundaries: a span never starts with a determiner, nor ends with a possessive.
# The scheme's own DATE examples start with an article ("a week"): a duration's "a"
# counts, so only "the" is excluded from DATE spans.
DETERMINERS: FrozenSet[str] = frozenset({"the", "a", "an"})
DATE_DETERMINERS: FrozenSet[str] = frozenset({"the"})
POSSESSIVES: FrozenSet[str] = frozenset({"'s", "’s", "'"})


def excluded_determiners(label: str) -> FrozenSet[str]:
    """The words a span of ``label`` may not start with."""
    return DATE_DETERMINERS if label == "DATE" else DETERMINERS

# role -> (trigger labels it starts from, entity labels it points to)
ROLE_TABLE: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]] = {
    "AGENT": (frozenset({"MISSION", "MEETING"}), frozenset({"ORG", "PERSON"})),
    "LEADER": (frozenset({"MISSION"}), frozenset({"PERSON"})),
    "PARTICIPANT": (frozenset({"MEETING"}), frozenset({"ORG", "PERSON"})),
    "TIME": (frozenset({"MISSION", "MEETING"}), frozenset({"DATE"})),
}


def allowed_roles(trigger_label: str, argument_label: str) -> Tuple[str, ...]:
    """Roles the scheme allows from a trigger of one label to an entity of another.

    An empty tuple means the pair is never a candidate, which is how the event
    argument component avoids scoring pairs it could never link.
    """
    return tuple(
        role
        for role in ROLES
        if trigger_label in ROLE_TABLE[role][0] and argument_label in ROLE_TABLE[role][1]
    )
