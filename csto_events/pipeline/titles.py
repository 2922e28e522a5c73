"""Which ORG spans sit inside a person's title, and so are never arguments (label scheme).

"CSTO Secretary General Imangali Tasmagambetov", "Chief of the CSTO Joint
Staff Colonel-General Anatoly Sidorov": the ORG is labelled, but the scheme
says it is not an argument through the title; the event's argument is the
person. The linker sees an ORG near a mission or meeting and links it. The
title is read off the dependency parse: from the ORG's root, up through the
arcs a title is built of (compound, prepositions, possessives, modifiers),
a few steps reach a token of a PERSON span before any verb or clause. An
appositive title after the name ("Park Ji-hoon, chairman of the Korean Film
Council") is left alone: there the guidelines link the body.

On the corpus gold no ORG this marks is linked (a test checks every one).
Shipped in the packaged pipeline: imports only spaCy.
"""
from typing import FrozenSet, Iterable

from spacy.tokens import Span

TITLE_DEPS: FrozenSet[str] = frozenset({"compound", "pobj", "prep", "poss", "amod", "nmod", "npadvmod"})
MAX_STEPS = 5


def org_in_person_title(org: Span, persons: Iterable[Span]) -> bool:
    """Whether ``org`` is part of the title of one of ``persons`` (see the module docstring)."""
    persons = [p for p in persons if p.label_ == "PERSON"]
    token = org.root
    for _ in range(MAX_STEPS):
        if token.dep_ not in TITLE_DEPS or token.head == token:
            return False
        token = token.head
        if any(p.start <= token.i < p.end for p in persons):
            return True
    return False
