"""An attribute ruler that asks the Matcher once per kind of token: spaCy's annotations, less time.

en_core_web_md's ``attribute_ruler`` sets parts of speech, morphology and a
few lemmas with 179 Matcher patterns, and spaCy's Matcher tries every pattern
at every token: about 20 µs a token, 14% of the pipeline's CPU time in
``evaluation/benchmark/profile.md``. Almost every pattern looks at one token
and asks only whether its LOWER, TAG, DEP or IS_SPACE equals a value or lies
in a list. What such a pattern matches therefore depends on those four values
alone, and even only on whether each value is one the patterns mention: all
words the patterns never name behave the same. A text has a few hundred such
kinds of token, not thousands.

So this ruler splits the patterns by match key. Keys whose patterns are all
of that simple one-token form go to a ``token_matcher``: for a kind of token
not seen before it runs spaCy's own Matcher over a one-token Doc made from
that token (same text, tag and dependency label) and remembers which keys
matched. Every other key (several tokens, a regular expression, another
attribute) stays in a ``doc_matcher`` that runs over the whole Doc as
before. ``match`` returns the very tuples ``AttributeRuler.match`` returns,
in the same order, and ``set_annotations`` is spaCy's, so the annotations are
the same by construction; ``csto-events package`` swaps it in for the
sourced ruler and ``compare_pipelines`` checks that token by token. The
patterns are stored exactly as spaCy stores them, so a saved pipeline loads
with either factory.
"""
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .registration import factory

ATTRIBUTE_RULER = "csto_events_attribute_ruler"
# The attributes a cached pattern may test, in the order of the kind-of-token key.
CACHED_ATTRS: Tuple[str, ...] = ("LOWER", "TAG", "DEP", "IS_SPACE")
_ATTR_IDS = [LOWER, TAG, DEP, IS_SPACE]
# Set operators whose answer is the same for every value they do not list.
_SET_OPERATORS = {"IN", "NOT_IN"}
# A value the patterns never mention (hashes are unsigned, so -1 is none of them).
OTHER = -1
# Kinds of token remembered before the memory is emptied (news needs a few hundred).
CACHE_SIZE = 50_000

Match = Tuple[int, int, int]  # (match key, start, end), as Matcher returns them


class TokenCachedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose one-token patterns are matched once per kind of token."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", *, validate: bool = False, scorer: Optional[Callable] = None) -> None:
        super().__init__(vocab, name, validate=validate, scorer=scorer)
        self._reset_split()

    def _reset_split(self) -> None:
        self.token_matcher = Matcher(self.vocab, validate=self.validate)
        self.doc_matcher = Matcher(self.vocab, validate=self.validate)
        # Per cached attribute, the hashes its patterns mention; other values become OTHER.
        self._mentioned: List[Set[int]] = [set() for _ in CACHED_ATTRS]
        self._cache: Dict[Tuple[int, ...], List[int]] = {}

    def clear(self) -> None:
        super().clear()
        self._reset_split()

    def add(self, patterns: Iterable, attrs: Dict, index: int = 0) -> None:
        patterns = list(patterns)
        super().add(patterns, attrs, index)
        key = self.vocab.strings[str(len(self.attrs) - 1)]  # the key AttributeRuler.add used
        values = [_cacheable_values(pattern) for pattern in patterns]
        if all(v is not None for v in values):
            self.token_matcher.add(key, patterns)
            for pattern_values in values:
                for position, found in enumerate(pattern_values):
                    self._mentioned[position].update(get_string_id(v) if isinstance(v, str) else int(v) for v in found)
        else:
            self.doc_matcher.add(key, patterns)
        self._cache.clear()

    def match(self, doc: Doc) -> List[Tuple[int, int, int, int]]:
        matches: List[Match] = list(self.doc_matcher(doc, allow_missing=True, as_spans=False)) if len(self.doc_matcher) else []
        if len(self.token_matcher):
            matches += self._token_matches(doc)
        # As AttributeRuler.match: sorted by the pattern's number, so later rules win.
        ranked = [(int(self.vocab.strings[m_id]), m_id, start, end) for m_id, start, end in matches]
        ranked.sort()
        return ranked

    def _token_matches(self, doc: Doc) -> List[Match]:
        found: List[Match] = []
        mentioned = self._mentioned
        cache = self._cache
        for i, row in enumerate(doc.to_array(_ATTR_IDS).tolist()):
            kind = tuple(value if value in mentioned[k] else OTHER for k, value in enumerate(row))
            keys = cache.get(kind)
            if keys is None:
                keys = self._match_one(doc[i])
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[kind] = keys
            found += [(key, i, i + 1) for key in keys]
        return found

    def _match_one(self, token) -> List[int]:
        """The keys the one-token patterns match on this token, from spaCy's Matcher itself."""
        single = Doc(self.vocab, words=[token.text], spaces=[False])
        single[0].tag = token.tag
        single[0].dep = token.dep
        return [m_id for m_id, _, _ in self.token_matcher(single, allow_missing=True, as_spans=False)]


def _cacheable_values(pattern: Sequence[Dict[str, Any]]) -> Optional[List[List[Any]]]:
    """Per cached attribute, the values a one-token pattern names; None if it is not of that form."""
    if len(pattern) != 1 or not set(pattern[0]) <= set(CACHED_ATTRS):
        return None
    values: List[List[Any]] = [[] for _ in CACHED_ATTRS]
    for attr, test in pattern[0].items():
        if isinstance(test, (str, bool, int)):
            values[CACHED_ATTRS.index(attr)].append(test)
        elif isinstance(test, dict) and set(test) <= _SET_OPERATORS and all(isinstance(v, (str, list)) for v in test.values()):
            for listed in test.values():
                if isinstance(listed, str):
                    listed = [listed]
                if not all(isinstance(v, str) for v in listed):
                    return None
                values[CACHED_ATTRS.index(attr)].extend(listed)
        else:
            return None
    return values


@factory(
    ATTRIBUTE_RULER,
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
    assigns=["token.pos", "token.morph", "token.lemma"],
)
def make_token_cached_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Optional[Callable]) -> TokenCachedAttributeRuler:
    return TokenCachedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)

