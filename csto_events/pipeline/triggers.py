"""A trigger lexicon for MISSION and MEETING, written from the guidelines.

Used two ways: as ``entity_ruler`` patterns in the rules-plus-model variant
(``configs/variants/lexicon.cfg``; not the default, which it no longer beat), and
as the keyword baseline of the evaluation suite. Modifiers that name the kind
of event are part of the trigger (``observation mission``, ``press
briefing``); entity modifiers (CSTO, dates) are not.
"""
import warnings
from typing import Dict, List, Tuple

# An entity_ruler after the tagger and parser runs them over its phrase
# patterns when the pipeline loads, and spaCy warns (W012) that LOWER does not
# need them. It costs a fraction of a second per load and changes nothing, so
# the warning, which would greet every user of the pipeline, is silenced.
warnings.filterwarnings("ignore", message=r"\[W012\].*to match on 'LOWER'")

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


VERB_PATTERN: Dict[str, object] = {"label": "MEETING", "pattern": [{"LEMMA": {"IN": MEETING_VERBS}, "POS": "VERB"}]}


def trigger_phrases() -> List[Tuple[str, str]]:
    """``(label, phrase)`` for every entry of the lexicon, kinds before bare heads."""
    phrases: List[Tuple[str, str]] = []
    for head in MISSION_HEADS:
        phrases += [("MISSION", f"{kind} {head}") for kind in MISSION_KINDS]
        phrases.append(("MISSION", "election observation " + head))
    for head in MISSION_KIND_ONLY_HEADS:
        for kind in ("observation", "monitoring", "assessment", "peacekeeping", "fact-finding", "inspection"):
            phrases.append(("MISSION", f"{kind} {head}"))
    for head in MEETING_HEADS:
        phrases += [("MEETING", f"{kind} {head}") for kind in MEETING_KINDS]
    phrases += [("MEETING", "video conference"), ("MEETING", "press conference")]
    # Bare heads last. "mission" alone is ambiguous (a task, an embassy): the
    # statistical model decides in the learned variants; the rule takes it.
    phrases += [("MISSION", head) for head in MISSION_HEADS]
    phrases += [("MEETING", head) for head in MEETING_HEADS]
    return phrases


def trigger_patterns() -> List[Dict[str, object]]:
    """v1: token patterns on LOWER, one token per space-separated word; longer phrases first.

    Kept for pipelines trained with it. Its hyphenated kinds ("fact-finding
    mission") never match, since spaCy splits "fact-finding" into three
    tokens; v2 fixes that.
    """
    patterns = [{"label": label, "pattern": _phrase(phrase)} for label, phrase in trigger_phrases()]
    patterns.append(VERB_PATTERN)
    patterns.sort(key=lambda p: -len(p["pattern"]))  # type: ignore[arg-type]
    return patterns


def trigger_phrase_patterns() -> List[Dict[str, object]]:
    """v2: phrase patterns, for an entity_ruler with ``phrase_matcher_attr = "LOWER"``.

    The PhraseMatcher tokenizes each phrase as the text is tokenized, so
    hyphenated kinds match, and it looks all phrases up at once, which is
    several times cheaper than one Matcher pattern per phrase. The verb rule
    stays a token pattern (lemma and part of speech).
    """
    return [{"label": label, "pattern": phrase} for label, phrase in trigger_phrases()] + [VERB_PATTERN]


TRIGGER_PATTERNS = trigger_phrase_patterns()


def _register() -> None:
    """Expose the lexicon to configs: ``patterns = {"@misc": "csto_events.trigger_patterns.v1"}``."""
    from spacy.util import registry

    @registry.misc("csto_events.trigger_patterns.v1")
    def make_trigger_patterns() -> List[Dict[str, object]]:
        return trigger_patterns()

    @registry.misc("csto_events.trigger_patterns.v2")
    def make_trigger_phrase_patterns() -> List[Dict[str, object]]:
        return trigger_phrase_patterns()


_register()
