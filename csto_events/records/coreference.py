"""Same-event mentions: which triggers of one document name the same mission or meeting.

A news story names its event five times: "summit" in the headline, "a
two-day summit in Minsk", "the gathering", "this summit", "the summit
closed". Rules, in text order, each mention joining an earlier cluster or
starting one:

- only mentions of the same type (MISSION, MEETING) ever merge;
- never across incompatible dates (the TIME values of the two sides name
  disjoint days or months) or across a word that says "another one":
  next, previous, similar, new, first, another ...;
- a headline mention is the first body mention of its type;
- a definite noun phrase ("the delegation", "that mission's", "Friday's
  session", "such a mission") points back to a compatible cluster: same
  kind of head (any mission word; a generic "meeting" or "gathering" to any
  meeting noun but a briefing or a visit), same grammatical number, the
  best one by shared arguments and dates, then by size for "the" or by
  recency for a demonstrative;
- an indefinite mention joins a cluster only on strong evidence: the same
  multi-word trigger ("a monitoring mission" twice), the same sender of a
  mission, or two shared participants of a meeting;
- a verb trigger ("met", "visited") starts its own event unless it is the
  headline's.
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

Output = Dict[str, Any]

DEMONSTRATIVES = {"this", "that", "these", "those", "such"}
DEFINITES = {"the", "its", "their", "his", "her", "our"} | DEMONSTRATIVES
INDEFINITES = {"a", "an", "one", "two", "three", "four", "five", "six", "several", "some", "any", "each", "every", "either", "no", "many"}
ANOTHER = {"next", "previous", "similar", "new", "first", "second", "third", "another", "other", "former", "last", "earlier", "later", "further", "future", "fresh"}
STOPS = {"of", "in", "at", "on", "for", "to", "with", "by", "during", "from", "after", "before", "into", "and", "or", "but", "as", "that", "which"}
PLURALIA = {"talks", "negotiations", "consultations", "forces"}
MEETING_KINDS = {
    "summit": "summit", "session": "session", "sessions": "session", "meeting": "generic", "meetings": "generic",
    "gathering": "generic", "talks": "talks", "negotiations": "talks", "consultations": "talks", "round": "talks",
    "conference": "conference", "congress": "conference", "forum": "conference", "assembly": "conference",
    "briefing": "briefing", "visit": "visit",
}
VERB_TRIGGER = re.compile(r"^(?:met|meet|meets|visited|visit|visits|received|receive|receives|convened|convene|convenes|gather|gathered|hosted|host)$", re.I)


@dataclass
class Mention:
    """One trigger with what the rules need to know about it."""

    index: int  # position in output["events"]
    type: str
    start: int
    end: int
    text: str
    headline: bool
    verb: bool
    determiner: str  # "definite", "demonstrative", "indefinite", "another" or ""
    plural: bool
    kind: str
    agents: Set[str] = field(default_factory=set)
    leaders: Set[str] = field(default_factory=set)
    participants: Set[str] = field(default_factory=set)
    times: List[Tuple[dt.date, dt.date]] = field(default_factory=list)


def interval(value: Optional[str]) -> Optional[Tuple[dt.date, dt.date]]:
    """The days a calendar value covers (``2022-09`` -> 1-30 September); None for durations, sets and vague values."""
    if not value:
        return None
    if "/" in value and not value.startswith("R/"):
        first, last = (interval(part) for part in value.split("/", 1))
        return (first[0], last[1]) if first and last else None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            start = dt.date(int(value[:4]), int(value[5:]), 1)
            following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, following - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        match = re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", value)
        if match:
            monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return (monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)) if value.endswith("WE") else (monday, monday + dt.timedelta(days=6))
        match = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if match:
            year, quarter = int(match.group(1)), int(match.group(2))
            end = dt.date(year + (quarter == 4), (quarter * 3) % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(year, quarter * 3 - 2, 1), end
    except ValueError:
        return None
    return None


def _words_before(text: str, start: int, entities: Sequence[Dict[str, Any]]) -> List[str]:
    """Up to five lower-case words before ``start`` in its line, entity spans (and their "'s") read as "<E>"."""
    line_start = text.rfind("\n", 0, start) + 1
    spans = sorted((e["start"], e["end"]) for e in entities if line_start <= e["start"] and e["end"] <= start)
    chunk, position = [], line_start
    for a, b in spans:
        chunk.append(text[position:a].lower())
        chunk.append(" <E> ")
        position = b
    chunk.append(text[position:start].lower())
    words = re.findall(r"<E>|[\w-]+|['’]s\b|[,;:.()“”\"]", "".join(chunk))
    return words[-6:]


def _determiner(words: List[str], date_possessive: bool = False) -> str:
    """What introduces the trigger: read backwards over up to two modifiers and adjacent entity names to a determiner.

    An entity name counts as a modifier only right before the trigger ("a
    CSTO observation mission"); one further back is a subject ("the
    Commission held consultations").
    """
    modifiers = 0
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        if word == "<E>":
            if modifiers:
                return ""
            continue
        if word in ("'s", "’s"):
            # "Tuesday's session" points back; "Ashworth's annual meeting" introduces one
            return "definite" if position > 0 and words[position - 1] == "<E>" and date_possessive else ""
        if word in ANOTHER:
            return "another"
        if word in DEMONSTRATIVES:
            return "demonstrative"
        if word in DEFINITES:
            return "definite"
        if word in INDEFINITES or word.isdigit():
            return "demonstrative" if word in ("a", "an") and position > 0 and words[position - 1] == "such" else "indefinite"
        if word in STOPS or word in {",", ";", ":", ".", "(", ")", "“", "”", '"'}:
            return ""
        modifiers += 1
        if modifiers > 2:
            return ""
    return ""


def _headline_end(text: str) -> int:
    """The end of the first line if it reads as a headline (short, no final full stop), else 0."""
    stripped = text.lstrip()
    first = stripped.split("\n", 1)[0]
    if "\n" not in stripped or len(first) > 200 or first.rstrip().endswith((".", "”", '"')):
        return 0
    return len(text) - len(stripped) + len(first)


def mentions(output: Output) -> List[Mention]:
    """The events of an Output-format dict as Mentions (in text order); arguments by canonical name."""
    text, entities = output["text"], output.get("entities", [])
    by_span = {(e["start"], e["end"]): e for e in entities}
    headline_end = _headline_end(text)
    found = []
    for index, event in enumerate(output.get("events", [])):
        trigger = event["trigger"]
        words = _words_before(text, trigger["start"], entities)
        possessor = _entity_before(text, trigger["start"], entities)
        head = trigger["text"].split()[-1].lower()
        mention = Mention(
            index=index, type=event["type"], start=trigger["start"], end=trigger["end"], text=trigger["text"],
            headline=trigger["end"] <= headline_end, verb=bool(VERB_TRIGGER.match(trigger["text"])) and " " not in trigger["text"],
            determiner=_determiner(words, possessor is not None and possessor["label"] == "DATE"), plural=head.endswith("s") and head not in PLURALIA and not head.endswith("ss"),
            kind=MEETING_KINDS.get(head, "briefing" if "briefing" in trigger["text"].lower() or "press conference" in trigger["text"].lower() else head) if event["type"] == "MEETING" else "mission",
        )
        if mention.kind == "conference" and "press" in trigger["text"].lower():
            mention.kind = "briefing"
        for argument in event.get("arguments", []):
            entity = by_span.get((argument["start"], argument["end"]), argument)
            name = entity.get("canonical") or entity.get("text") or argument["text"]
            role = argument["role"]
            if role == "TIME":
                span = interval(entity.get("value"))
                if span:
                    mention.times.append(span)
            elif role == "AGENT":
                mention.agents.add(name)
            elif role == "LEADER":
                mention.leaders.add(name)
            else:
                mention.participants.add(name)
        found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _entity_before(text: str, start: int, entities: Sequence[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    before = [e for e in entities if e["end"] <= start and re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", text[e["end"] : start])]
    return before[-1] if before else None


@dataclass
class Cluster:
    members: List[Mention]

    @property
    def type(self) -> str:
        return self.members[0].type

    def names(self, attribute: str) -> Set[str]:
        return set().union(*(getattr(m, attribute) for m in self.members))

    @property
    def times(self) -> List[Tuple[dt.date, dt.date]]:
        return [span for m in self.members for span in m.times]

    @property
    def headline_only(self) -> bool:
        return all(m.headline for m in self.members)


def _dates_conflict(a: List[Tuple[dt.date, dt.date]], b: List[Tuple[dt.date, dt.date]]) -> bool:
    if not a or not b:
        return False
    return not any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def _dates_agree(a: List[Tuple[dt.date, dt.date]], b: List[Tuple[dt.date, dt.date]]) -> bool:
    return bool(a and b) and not _dates_conflict(a, b)


def _kinds_compatible(mention: Mention, cluster: Cluster) -> bool:
    if mention.type == "MISSION":
        return True
    kinds = {m.kind for m in cluster.members if not m.verb and not m.headline} or {m.kind for m in cluster.members if not m.verb}
    if not kinds:  # verbs only ("SCO ministers to meet", "will meet"): any meeting noun but a briefing or a visit
        return mention.kind not in ("briefing", "visit")
    for kind in kinds:
        if kind == mention.kind:
            return True
        if "generic" in (kind, mention.kind) and not {"briefing", "visit"} & {kind, mention.kind}:
            return True
        if {kind, mention.kind} == {"summit", "session"}:
            return True
    return False


def _number_agrees(mention: Mention, cluster: Cluster) -> bool:
    nouns = [m for m in cluster.members if not m.verb and not m.headline]
    return not nouns or any(m.plural == mention.plural for m in nouns)


def _shared(mention: Mention, cluster: Cluster) -> int:
    return (
        len(mention.agents & cluster.names("agents"))
        + len(mention.leaders & cluster.names("leaders"))
        + len(mention.participants & cluster.names("participants"))
    )


def cluster_mentions(output: Output) -> List[List[int]]:
    """Same-event clusters of ``output["events"]``, each a sorted list of event indices, in text order."""
    clusters: List[Cluster] = []
    for mention in mentions(output):
        target = _antecedent(mention, clusters)
        if target is None:
            clusters.append(Cluster([mention]))
        else:
            target.members.append(mention)
    return [sorted(m.index for m in c.members) for c in clusters]


def _antecedent(mention: Mention, clusters: List[Cluster]) -> Optional[Cluster]:
    if mention.determiner == "another" or mention.headline:
        return None
    candidates = [c for c in clusters if c.type == mention.type and not _dates_conflict(mention.times, c.times)]
    headline = [c for c in candidates if c.headline_only]
    if headline and not any(c.type == mention.type and not c.headline_only for c in clusters):
        return headline[0]  # the first body mention of the headline's event
    if mention.verb:
        return None
    # a cluster of verbs alone ("met") is no antecedent for a noun phrase without a shared argument
    candidates = [c for c in candidates if not all(m.verb for m in c.members) or any(m.headline for m in c.members) or _shared(mention, c)]
    if mention.determiner in ("definite", "demonstrative"):
        fitting = [c for c in candidates if _kinds_compatible(mention, c) and _number_agrees(mention, c)]
        if not fitting:
            return None
        recency = {id(c): max(m.start for m in c.members) for c in fitting}

        def score(cluster: Cluster) -> Tuple[int, int, int]:
            evidence = _shared(mention, cluster) + 2 * _dates_agree(mention.times, cluster.times)
            size = len(cluster.members) if mention.determiner == "definite" else 0
            return evidence, size, recency[id(cluster)]

        return max(fitting, key=score)
    for cluster in reversed(candidates):
        same_words = len(mention.text.split()) > 1 and any(m.text.lower() == mention.text.lower() for m in cluster.members)
        same_sender = mention.type == "MISSION" and bool(mention.agents & cluster.names("agents"))
        shared_people = mention.type == "MEETING" and _shared(mention, cluster) >= 2 and _dates_agree(mention.times, cluster.times)
        if same_words or same_sender or shared_people:
            return cluster
    return None
