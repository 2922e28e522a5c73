"""The label scheme's rules that the fine-tuned NER breaks, applied to its spans.

Each rule is a plain function over a parsed Doc and its entity spans, so the
same code is tested on its own, runs inside the pipeline (the
``csto_ner_rules`` component, after the ner and before event_arguments) and
can be measured over saved predictions. Every rule only enforces what the
scheme already says, so none can fire on a gold span (tests check the whole
corpus gold); each is switched on in the config, not hard-wired:

- ``trim_boundaries``: a span never starts or ends with punctuation or a
  coordinating conjunction, never starts with a determiner and never ends
  with a possessive. The NER sometimes runs one token too far ("British
  Museum and", "CSTO secretariat's").
- ``org_head_words``: a multi-word PERSON whose last word is the head noun of
  an organisation's name ("... Maritime", "... Books", "... Airlines",
  "... University") is an ORG. Fine-tuning on security news, where nearly
  every capitalised two-word name that is not an institution is a person,
  teaches the NER to call unknown companies PERSON; a surname is almost never
  one of these words, so the word list beats the learner here. It names
  head nouns of organisations in general, none of them from the corpus.
- ``complete_trigger_phrases``: a MISSION or MEETING span covers the whole
  phrase that names the event. It never ends on a word that modifies the
  mission or meeting noun right after it ("joint press" of "joint press
  conference", "election observation" of "election observation mission";
  the noun must be one the label scheme names), and it takes in the words
  the guidelines name as kinds of meeting (decisions 50 and 54: "bilateral",
  "joint", "emergency", "extraordinary" ... when they modify the trigger).
  The learner often stops one word short of a phrase it met only rarely
  whole; the parse and two short lists from the guidelines do not. A word
  inside another span is never taken in.
- ``drop_redundant_meeting_verbs``: a verb ("met", "convened") is a MEETING
  trigger only when no meeting noun carries the same event. In "three
  sessions were convened by Pashinyan" the trigger is "sessions". Whether the
  noun and the verb are one event is read off the dependency parse: the noun
  is the verb's subject or object, the object of its "for" ("gather for a
  summit"), or the verb modifies the noun ("the sessions convened by ...").
  A dropped trigger also takes its arguments with it.
- ``drop_non_meeting_verb_senses``: "meet", "receive" and "visit" convene
  people only when what is met, received or visited is someone. Their object
  (or, in the passive, their subject) decides: "meet the deadline", "meet its
  obligations", "a notification had been received", "visited the mill" are no
  meetings (decisions 23, 41 and 61 of the guidelines). The learner sees the
  verb and its near context, and news has too few of these senses for it to
  learn them; a list of the things these verbs take in those senses, written
  from general English usage rather than from the corpus, does better. Only
  a common noun outside every entity counts, so "met Lindqvist", "received
  the delegation" and "meets twice a year" are never touched.

Shipped in the packaged pipeline: imports only spaCy and its siblings.
"""
from typing import Callable, Collection, Dict, FrozenSet, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .registration import factory
from .scheme import POSSESSIVES, excluded_determiners

# Last words of organisations' names, from general knowledge of how companies, clubs,
# institutions and public bodies are named (not from the corpus or the checks).
ORG_HEAD_WORDS: FrozenSet[str] = frozenset(
    """
    Inc Ltd Plc PLC LLC LLP GmbH AG SA NV Corp Corporation Company Co Group Holdings Partners
    Associates Bank Bancorp Airlines Airways Aviation Motors Automotive Energy Power Utilities Oil
    Petroleum Gas Mining Metals Steel Pharmaceuticals Pharma Biotech Therapeutics Foods Brewery
    Breweries Distillery Farms Dairy Foundation Trust Charity Institute University College
    Polytechnic School Academy Museum Gallery Library Archive Hospital Clinic Council Committee
    Commission Agency Authority Ministry Department Office Bureau Service Services Systems
    Technologies Technology Labs Laboratories Software Digital Robotics Semiconductor Media Press
    News Books Publishing Publishers Records Studios Pictures Films Entertainment Broadcasting
    Network Networks Telecom Telecommunications Communications Logistics Shipping Maritime
    Shipyards Railways Railway Rail Transport Freight Insurance Assurance Capital Investments Fund
    Securities Exchange Finance Financial Club FC Rovers Athletic Wanderers Orchestra Philharmonic
    Ensemble Choir Theatre Party Union Association Federation Society League Alliance
    Organization Organisation Industries Enterprises Solutions Consulting Consultants Electric
    Electronics Chemicals Plastics Textiles Construction Engineering Builders Mutual Cooperative
    Co-operative Retail Stores Supermarkets Hotels Resorts
    """.split()
)
PUNCT_OR_CONJUNCTION_POS: FrozenSet[str] = frozenset({"PUNCT", "CCONJ", "SYM"})
VERB_POS: FrozenSet[str] = frozenset({"VERB", "AUX"})
NOUN_POS: FrozenSet[str] = frozenset({"NOUN", "PROPN"})
# The meeting noun as the verb's own subject or object ("convened five sessions", "sessions
# were convened"), as the object of "for" ("gather for a summit"; "met before the summit" is
# two events), or the verb as the noun's modifier ("the sessions convened by ...").
CORE_ARGUMENT_DEPS: FrozenSet[str] = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd"})
PURPOSE_PREPOSITIONS: FrozenSet[str] = frozenset({"for"})
NOUN_MODIFIER_DEPS: FrozenSet[str] = frozenset({"acl", "relcl"})
# What "meet" satisfies, what "receive" gets that is not a visitor, and the places "visit"
# goes to see rather than people to see: general English usage, by lemma.
NON_MEETING_OBJECTS: Dict[str, FrozenSet[str]] = {
    "meet": frozenset(
        """
        deadline target goal objective quota threshold benchmark standard criterion criteria requirement
        condition demand need expectation obligation commitment pledge promise cost expense bill payment
        contribution challenge test norm specification timetable schedule
        """.split()
    ),
    "receive": frozenset(
        """
        letter notification notice note message call email request invitation proposal offer report document
        protocol confirmation response reply answer application complaint petition appeal award prize medal
        honour honor title degree support aid assistance funding fund grant loan payment shipment delivery
        consignment order instruction approval consent clearance permission authorization information data copy
        draft list vote share treatment sentence attention criticism praise backing signal warning threat
        assurance guarantee visa accreditation package parcel equipment weapon vaccine dose salary pension
        compensation bonus text statement telegram cable memo memorandum briefing
        """.split()
    ),
    "visit": frozenset(
        """
        site mill plant factory facility farm mine dam port harbour harbor base camp museum exhibition memorial
        monument warehouse depot checkpoint field workshop shipyard refinery station website page
        """.split()
    ),
}
TRIGGER_LABELS: FrozenSet[str] = frozenset({"MISSION", "MEETING"})
# A trigger never ends on a word that modifies the noun after it ("joint press" of "joint press
# conference"), and takes in the words the guidelines name as kinds of meeting (decisions 50, 54).
TRIGGER_MODIFIER_DEPS: FrozenSet[str] = frozenset({"amod", "compound"})
# The nouns the label scheme names as missions and meetings (docs/label-scheme.md), by lemma.
TRIGGER_NOUNS: FrozenSet[str] = frozenset(
    """
    mission team group force delegation meeting session summit talk talks negotiation consultation visit
    briefing conference
    """.split()
)
KIND_MODIFIERS: FrozenSet[str] = frozenset(
    {"bilateral", "trilateral", "joint", "ordinary", "regular", "extraordinary", "special", "emergency"}
)
OBJECT_DEPS: FrozenSet[str] = frozenset({"dobj"})
PASSIVE_SUBJECT_DEPS: FrozenSet[str] = frozenset({"nsubjpass"})


def _excluded_edge(token: Token, label: str, first: bool, length: int) -> bool:
    if token.is_punct or token.pos_ in PUNCT_OR_CONJUNCTION_POS:
        return True
    if first:
        return token.lower_ in excluded_determiners(label)
    return length > 1 and token.lower_ in POSSESSIVES


def trim_to_scheme(doc: Doc, start: int, end: int, label: str) -> Optional[Tuple[int, int]]:
    """Token offsets of ``doc[start:end]`` with the edges the scheme excludes cut off, or None if nothing is left."""
    while start < end and _excluded_edge(doc[start], label, True, end - start):
        start += 1
    while start < end and _excluded_edge(doc[end - 1], label, False, end - start):
        end -= 1
    return (start, end) if start < end else None


def trim_boundaries(doc: Doc, ents: Iterable[Span]) -> List[Span]:
    """``ents`` with their edges cut to the scheme; a span left empty is dropped."""
    out = []
    for span in ents:
        trimmed = trim_to_scheme(doc, span.start, span.end, span.label_)
        if trimmed is not None:
            out.append(span if trimmed == (span.start, span.end) else Span(doc, *trimmed, label=span.label_))
    return out


def relabel_org_head_words(doc: Doc, ents: Iterable[Span]) -> List[Span]:
    """``ents`` with every multi-word PERSON that ends in an organisation's head word made ORG."""
    return [
        Span(doc, s.start, s.end, label="ORG") if s.label_ == "PERSON" and len(s) > 1 and s[-1].text in ORG_HEAD_WORDS else s
        for s in ents
    ]


def _carried_by(verb: Token, noun: Token) -> bool:
    """Whether ``noun`` and ``verb`` are linked in the parse as one event (see the module docstring)."""
    if noun.head == verb and noun.dep_ in CORE_ARGUMENT_DEPS:
        return True
    preposition = noun.head
    if noun.dep_ == "pobj" and preposition.head == verb and preposition.dep_ == "prep" and preposition.lower_ in PURPOSE_PREPOSITIONS:
        return True
    return verb.head == noun and verb.dep_ in NOUN_MODIFIER_DEPS


def redundant_meeting_verbs(ents: Iterable[Span]) -> List[Span]:
    """The verb MEETING spans of ``ents`` whose event a meeting noun among ``ents`` carries."""
    meetings = [s for s in ents if s.label_ == "MEETING"]
    nouns = [s for s in meetings if s.root.pos_ in NOUN_POS]
    verbs = [s for s in meetings if s.root.pos_ in VERB_POS]
    return [v for v in verbs if any(_carried_by(v.root, n.root) for n in nouns)]


def _without(ents: List[Span], dropped: Iterable[Span]) -> List[Span]:
    gone = {(s.start, s.end) for s in dropped}
    return [s for s in ents if (s.start, s.end) not in gone]


def drop_redundant_meeting_verbs(doc: Doc, ents: Iterable[Span]) -> List[Span]:
    ents = list(ents)
    return _without(ents, redundant_meeting_verbs(ents))


def _extended(span: Span, covered: FrozenSet[int]) -> Tuple[int, int]:
    """Token offsets of a trigger grown to its whole phrase: the kind words before it, the head noun after it."""
    doc, start, end = span.doc, span.start, span.end
    while end < len(doc) and end not in covered:
        last, after = doc[end - 1], doc[end]
        if last.head.i != after.i or last.dep_ not in TRIGGER_MODIFIER_DEPS or after.lemma_.lower() not in TRIGGER_NOUNS:
            break
        end += 1
    while start > 0 and start - 1 not in covered:
        before = doc[start - 1]
        if before.lower_ not in KIND_MODIFIERS or not start <= before.head.i < end:
            break
        start -= 1
    return start, end


def complete_trigger_phrases(doc: Doc, ents: Iterable[Span]) -> List[Span]:
    """MISSION and MEETING spans grown to the phrase that names the event (see the module docstring)."""
    ents = list(ents)
    out = []
    for span in ents:
        if span.label_ not in TRIGGER_LABELS:
            out.append(span)
            continue
        covered = frozenset(i for other in ents if other is not span for i in range(other.start, other.end))
        start, end = _extended(span, covered)
        out.append(span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_))
    return out


def _what_the_verb_takes(verb: Token) -> List[Token]:
    """The verb's object, or its subject when it is passive ("a notification had been received")."""
    return [c for c in verb.children if c.dep_ in OBJECT_DEPS or c.dep_ in PASSIVE_SUBJECT_DEPS]


def non_meeting_verb_senses(ents: Iterable[Span]) -> List[Span]:
    """The verb MEETING spans of ``ents`` whose object says the verb does not convene people."""
    ents = list(ents)
    covered = {i for s in ents for i in range(s.start, s.end)}
    out = []
    for span in ents:
        verb = span.root
        if span.label_ != "MEETING" or verb.pos_ not in VERB_POS:
            continue
        things = NON_MEETING_OBJECTS.get(verb.lemma_.lower(), frozenset())
        if any(
            t.pos_ == "NOUN" and t.i not in covered and (t.lemma_.lower() in things or t.lower_ in things)
            for t in _what_the_verb_takes(verb)
        ):
            out.append(span)
    return out


def drop_non_meeting_verb_senses(doc: Doc, ents: Iterable[Span]) -> List[Span]:
    ents = list(ents)
    return _without(ents, non_meeting_verb_senses(ents))


RuleFunction = Callable[[Doc, Iterable[Span]], List[Span]]

# Every rule by its config name, in the order they depend on each other:
# boundaries, then labels, then triggers (a trimmed span is relabelled, a
# relabelled span is no trigger to drop).
RULES: Dict[str, RuleFunction] = {
    "trim_boundaries": trim_boundaries,
    "org_head_words": relabel_org_head_words,
    "complete_trigger_phrases": complete_trigger_phrases,
    "drop_redundant_meeting_verbs": drop_redundant_meeting_verbs,
    "drop_non_meeting_verb_senses": drop_non_meeting_verb_senses,
}


def in_order(rules: Collection[str]) -> Tuple[str, ...]:
    """``rules`` in the order of :data:`RULES`; a name that is no rule is an error naming it."""
    unknown = sorted(set(rules) - RULES.keys())
    if unknown:
        raise ValueError(f"unknown NER rule(s) {', '.join(unknown)}; the rules are {', '.join(RULES)}")
    return tuple(name for name in RULES if name in rules)


def apply_rules(doc: Doc, ents: Iterable[Span], rules: Collection[str] = tuple(RULES)) -> List[Span]:
    """The named ``rules`` (names of :data:`RULES`, all by default), in the order of :data:`RULES`."""
    ents = list(ents)
    for name in in_order(rules):
        ents = RULES[name](doc, ents)
    return ents


class NerRules:
    """Set ``doc.ents`` to the NER's spans with the configured rules applied (needs tags and a parse)."""

    def __init__(self, name: str, rules: Collection[str]) -> None:
        self.name = name
        self.rules = in_order(rules)  # an unknown name fails when the pipeline is built, not on the first text

    def __call__(self, doc: Doc) -> Doc:
        before = list(doc.ents)
        after = apply_rules(doc, before, self.rules)
        if [(s.start, s.end, s.label) for s in after] != [(s.start, s.end, s.label) for s in before]:
            doc.ents = after
        return doc


@factory(
    "csto_ner_rules",
    default_config={name: True for name in RULES},
    requires=["token.pos", "token.dep", "doc.ents"],
    assigns=["doc.ents"],
)
def make_ner_rules(
    nlp: Language, name: str, trim_boundaries: bool, org_head_words: bool, complete_trigger_phrases: bool,
    drop_redundant_meeting_verbs: bool, drop_non_meeting_verb_senses: bool,
) -> NerRules:
    """Factory: placed after the ner, before event_arguments (configs/default.cfg).

    One switch per rule, named as in :data:`RULES`, so a config can turn any
    rule off on its own (spaCy validates a factory's settings by its
    signature, hence one argument per rule rather than a list).
    """
    switches = {
        "trim_boundaries": trim_boundaries,
        "org_head_words": org_head_words,
        "complete_trigger_phrases": complete_trigger_phrases,
        "drop_redundant_meeting_verbs": drop_redundant_meeting_verbs,
        "drop_non_meeting_verb_senses": drop_non_meeting_verb_senses,
    }
    return NerRules(name, [rule for rule, on in switches.items() if on])
