"""A trigger lexicon for MISSION and MEETING, written from the guidelines.

Used two ways: as ``entity_ruler`` patterns in the rules-plus-model variant
(with this little data a lexicon can beat a learned tagger on triggers), and
as the keyword baseline of the evaluation suite. Modifiers that name the kind
of event are part of the trigger (``observation mission``, ``press
briefing``); entity modifiers (CSTO, dates) are not.
"""
from typing import Dict, List

MISSION_KINDS = [
    "observation", "observer", "monitoring", "assessment", "needs-assessment", "peacekeeping",
    "fact-finding", "verification", "inspection", "technical", "civilian", "police", "evaluation",
    "expert", "advance", "electoral", "humanitarian", "stabilization", "stabilisation", "training",
    "border", "military", "liaison",
]
MISSION_HEADS = ["mission", "missions"]
MISSION_KIND_ONLY_HEADS = ["team", "teams", "force", "forces", "contingent", "group"]

MEETING_KINDS = [
    "extraordinary", "emergency", "official", "working", "state", "bilateral", "trilateral",
    "ministerial", "informal", "plenary", "closed-door", "closed", "regular", "joint", "press",
    "video", "high-level", "consultative",
]
MEETING_HEADS = [
    "meeting", "meetings", "session", "sessions", "summit", "summits", "talks", "negotiations",
    "consultations", "conference", "conferences", "briefing", "briefings", "visit", "visits",
    "gathering", "ministerial", "videoconference", "video-conference",
]
MEETING_VERBS = ["meet", "convene"]


def _phrase(words: str) -> List[Dict[str, object]]:
    return [{"LOWER": w} for w in words.split()]


def trigger_patterns() -> List[Dict[str, object]]:
    """entity_ruler patterns; longer phrases first so the ruler prefers them."""
    patterns: List[Dict[str, object]] = []
    for head in MISSION_HEADS:
        for kind in MISSION_KINDS:
            patterns.append({"label": "MISSION", "pattern": _phrase(f"{kind} {head}")})
        patterns.append({"label": "MISSION", "pattern": _phrase("election observation " + head)})
    for head in MISSION_KIND_ONLY_HEADS:
        for kind in ("observation", "monitoring", "assessment", "peacekeeping", "fact-finding", "inspection"):
            patterns.append({"label": "MISSION", "pattern": _phrase(f"{kind} {head}")})
    for head in MEETING_HEADS:
        for kind in MEETING_KINDS:
            patterns.append({"label": "MEETING", "pattern": _phrase(f"{kind} {head}")})
    patterns.append({"label": "MEETING", "pattern": _phrase("video conference")})
    patterns.append({"label": "MEETING", "pattern": _phrase("press conference")})
    # Bare heads last. "mission" alone is ambiguous (a task, an embassy): the
    # statistical model decides in the learned variants; the rule takes it.
    for head in MISSION_HEADS:
        patterns.append({"label": "MISSION", "pattern": _phrase(head)})
    for head in MEETING_HEADS:
        patterns.append({"label": "MEETING", "pattern": _phrase(head)})
    patterns.append({"label": "MEETING", "pattern": [{"LEMMA": {"IN": MEETING_VERBS}, "POS": "VERB"}]})
    patterns.sort(key=lambda p: -len(p["pattern"]))  # type: ignore[arg-type]
    return patterns


TRIGGER_PATTERNS = trigger_patterns()


def _register() -> None:
    """Expose the lexicon to configs: ``patterns = {"@misc": "csto_events.trigger_patterns.v1"}``."""
    from spacy.util import registry

    @registry.misc("csto_events.trigger_patterns.v1")
    def make_trigger_patterns() -> List[Dict[str, object]]:
        return trigger_patterns()


_register()
