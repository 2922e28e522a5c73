"""Arg-I and Arg-C counted one way, for the training scorer and the evaluation suite alike.

Both places used to count arguments themselves, and they disagreed on Arg-I:
the training scorer's key included the trigger's label, the report's did
not, so the ``arg_i_f`` that ``spacy train`` logs and writes to meta.json was
not the report's Arg-I. Now both call :func:`argument_counts` on arguments
read from the Output format, so a figure means the same wherever it appears.

The definitions (docs/label-scheme.md: an argument is a link from a trigger
span to an entity span; the trigger's type is the event's, scored by Trig-C):

- ``arg_i``: identification, the (trigger span, argument span) pair matches;
  neither the event type nor the role is asked for, just as Trig-I does not
  ask for the trigger's type.
- ``arg_c``: classification, trigger span and event type, argument span and
  role all match.
- ``arg_c.ROLE``: ``arg_c`` restricted to the role on both sides.
- ``arg_i.ROLE``: identification per role; a gold pair counts under its gold
  role, a predicted pair under the gold role of the pair it matches (its own
  role if it matches nothing), so the roles add up to ``arg_i`` and a right
  pair with a wrong role is identified, not spurious.

Every gold argument counts: one whose trigger or entity was not predicted is a
miss, never skipped. Each metric is four counts: predicted items that match,
predicted items, gold items that match, gold items.

Shipped inside the packaged pipeline (the training scorer uses it): imports
only the standard library and its siblings.
"""
from typing import Dict, Iterable, Set, Tuple

from .events import Output
from .scheme import ROLES

# trigger start, end, event type, argument start, end, role (character offsets)
Argument = Tuple[int, int, str, int, int, str]
Pair = Tuple[int, int, int, int]
Counts = Tuple[int, int, int, int]

ARGUMENT_METRICS: Tuple[str, ...] = (
    ("arg_i", "arg_c") + tuple(f"arg_i.{role}" for role in ROLES) + tuple(f"arg_c.{role}" for role in ROLES)
)


def output_arguments(output: Output) -> Set[Argument]:
    """Every argument of one Output-format text."""
    return {
        (ev["trigger"]["start"], ev["trigger"]["end"], ev["type"], a["start"], a["end"], a["role"])
        for ev in output["events"]
        for a in ev.get("arguments", [])
    }


def exact_counts(gold: Set, pred: Set) -> Counts:
    both = len(gold & pred)
    return both, len(pred), both, len(gold)


def _roles_by_pair(arguments: Iterable[Argument]) -> Dict[Pair, Set[str]]:
    roles: Dict[Pair, Set[str]] = {}
    for ts, te, _, as_, ae, role in arguments:
        roles.setdefault((ts, te, as_, ae), set()).add(role)
    return roles


def argument_counts(gold: Set[Argument], pred: Set[Argument]) -> Dict[str, Counts]:
    """The four counts of every metric in ARGUMENT_METRICS for one text."""
    counts = {
        "arg_i": exact_counts({(a[0], a[1], a[3], a[4]) for a in gold}, {(a[0], a[1], a[3], a[4]) for a in pred}),
        "arg_c": exact_counts(gold, pred),
    }
    gold_roles, pred_roles = _roles_by_pair(gold), _roles_by_pair(pred)
    for role in ROLES:
        counts[f"arg_c.{role}"] = exact_counts({a for a in gold if a[5] == role}, {a for a in pred if a[5] == role})
        # A predicted pair is filed under the gold role of the pair it matches,
        # or under its own role when it matches nothing (a spurious pair).
        g_pairs = {pair for pair, roles in gold_roles.items() if role in roles}
        p_pairs = {pair for pair, roles in pred_roles.items() if role in gold_roles.get(pair, roles)}
        counts[f"arg_i.{role}"] = exact_counts(g_pairs, p_pairs)
    return counts
