"""Which (trigger, entity) pairs the event-argument component scores, and their features.

A pair is a candidate only when the trigger and the entity share a sentence
and the role table allows at least one role between their labels; that keeps
the work linear in practice and makes a forbidden link impossible by
construction. The sparse features describe how the two spans relate in the
dependency parse (path, prepositions on it, the words just before the
entity), because with little data the syntax of "headed by X", "talks with
Y", "on Monday" generalises where word identities do not.
"""
from bisect import bisect_left
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, SENT_START
from spacy.tokens import Doc, Span, Token

from .scheme import ENTITY_LABELS, TRIGGER_LABELS, allowed_roles

# (trigger_start, trigger_end, trigger_label, argument_start, argument_end, argument_label)
Candidate = Tuple[int, int, str, int, int, str]

# Parts of speech whose lemma names the common ancestor on a dependency path; others give the tag.
_PATH_WORD_POS = ("ADP", "VERB", "AUX")


def candidate_pairs(doc: Doc, ents: Optional[Sequence[Span]] = None) -> List[Candidate]:
    """Every allowed same-sentence pair, in a stable order (trigger, then entity position).

    Entities are grouped by sentence first, so a long document costs the sum
    over its sentences of triggers x entities, not all its triggers times all
    its entities.
    """
    ents = list(doc.ents if ents is None else ents)
    sentence_of = _sentence_ids(doc)
    by_sentence: Dict[int, List[Span]] = {}
    for entity in ents:
        if entity.label_ in ENTITY_LABELS:
            by_sentence.setdefault(sentence_of[entity.start], []).append(entity)
    pairs: List[Candidate] = []
    for trigger in ents:
        if trigger.label_ not in TRIGGER_LABELS:
            continue
        for entity in by_sentence.get(sentence_of[trigger.start], ()):
            if allowed_roles(trigger.label_, entity.label_):
                pairs.append((trigger.start, trigger.end, trigger.label_, entity.start, entity.end, entity.label_))
    return pairs


def _sentence_ids(doc: Doc) -> List[int]:
    """The sentence number of every token; all 0 when the doc has no sentence boundaries."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        starts = doc.to_array(SENT_START) == 1
    else:
        starts = numpy.zeros(len(doc), dtype=bool)
    if len(doc):
        starts[0] = True
    return (numpy.cumsum(starts) - 1).tolist()


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "far"


class PairFeaturizer:
    """The feature strings of candidate pairs of one doc.

    A token takes part in many pairs (every trigger of a sentence with every
    entity), so what the features read of a token (lower form, lemma,
    dependency label, part of speech, head and chain of heads) and each span's
    root are looked up once per doc, from one ``Doc.to_array`` call, and the
    strings once per token, instead of through new Token and Span objects in
    every pair. The strings are exactly those read from the tokens directly.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.has_parse = doc.has_annotation("DEP")
        self._strings = doc.vocab.strings
        array = doc.to_array([LOWER, LEMMA, DEP, POS, HEAD]).reshape((len(doc), 5))
        self._lower_ids, self._lemma_ids, self._dep_ids, self._pos_ids = (array[:, k].tolist() for k in range(4))
        # HEAD is the offset to the head, stored in uint64: as int64 it is signed again.
        self._heads: List[int] = (numpy.arange(len(doc)) + array[:, 4].astype("int64")).tolist()
        self._lower: Dict[int, str] = {}
        self._lemma: Dict[int, str] = {}
        self._chains: Dict[int, List[int]] = {}
        self._roots: Dict[Tuple[int, int], int] = {}

    def lower(self, i: int) -> str:
        """``token.lower_``."""
        text = self._lower.get(i)
        if text is None:
            text = self._lower[i] = self._strings[self._lower_ids[i]]
        return text

    def lemma(self, i: int) -> str:
        """``token.lemma_.lower()``."""
        text = self._lemma.get(i)
        if text is None:
            text = self._lemma[i] = self._strings[self._lemma_ids[i]].lower()
        return text

    def dep(self, i: int) -> str:
        return self._strings[self._dep_ids[i]]

    def pos(self, i: int) -> str:
        return self._strings[self._pos_ids[i]]

    def root(self, start: int, end: int) -> int:
        """``doc[start:end].root.i``, computed once per span."""
        root = self._roots.get((start, end))
        if root is None:
            root = self._roots[(start, end)] = self.doc[start:end].root.i
        return root

    def ancestors(self, i: int) -> List[int]:
        """The token and its heads up to the root (at most 50 tokens)."""
        chain = self._chains.get(i)
        if chain is None:
            chain = [i]
            while self._heads[chain[-1]] != chain[-1] and len(chain) < 50:
                chain.append(self._heads[chain[-1]])
            self._chains[i] = chain
        return chain

    def dependency_path(self, a: int, b: int) -> List[str]:
        """Steps from token a up to the lowest common ancestor, then down to token b."""
        up, down = self.ancestors(a), self.ancestors(b)
        down_ids = {t: n for n, t in enumerate(down)}
        for n, token in enumerate(up):
            if token in down_ids:
                rise = [f"{self.dep(t)}^" for t in up[:n]]
                fall = [f"{self.dep(t)}v" for t in reversed(down[: down_ids[token]])]
                pos = self.pos(token)
                return rise + [f"<{self.lemma(token) if pos in _PATH_WORD_POS else pos}>"] + fall
        return ["nopath"]

    def features(self, pair: Candidate, triggers_between: int) -> List[str]:
        """Feature strings of one candidate pair (hashed and embedded by the model)."""
        ts, te, tl, as_, ae, al = pair
        n_tokens = len(self.doc)
        trigger_root, entity_root = self.root(ts, te), self.root(as_, ae)
        labels = f"{tl}>{al}"
        direction = "after" if as_ >= te else "before"
        distance = as_ - te if as_ >= te else ts - ae
        trigger_lemma = self.lemma(trigger_root)
        feats = [
            f"pair={labels}",
            f"dist={labels}|{direction}|{_bucket(distance)}",
            f"trig_between={labels}|{direction}|{min(triggers_between, 2)}",
            f"trig_head={trigger_lemma}",
            f"trig_head_pair={labels}|{trigger_lemma}",
        ]
        if self.has_parse:
            path = self.dependency_path(trigger_root, entity_root)
            entity_head = self.lemma(self._heads[entity_root])
            feats += [
                f"path={labels}|{'/'.join(path)}",
                f"path_len={labels}|{_bucket(len(path))}",
                f"ent_dep={labels}|{self.dep(entity_root)}|{entity_head}",
                f"ent_head={labels}|{entity_head}",
                f"trig_dep={labels}|{self.dep(trigger_root)}",
            ]
            feats += [f"path_step={labels}|{step}" for step in path if step.startswith("<")]
        before = self.lower(as_ - 1) if as_ > 0 else "<s>"
        before2 = self.lower(as_ - 2) if as_ > 1 else "<s>"
        after = self.lower(ae) if ae < n_tokens else "</s>"
        feats += [
            f"ent_prev={labels}|{before}",
            f"ent_prev2={labels}|{before2} {before}",
            f"ent_next={labels}|{after}",
            f"ent_prev_dir={labels}|{direction}|{before}",
        ]
        lo, hi = (te, as_) if direction == "after" else (ae, ts)
        if hi - lo <= 6:
            between = " ".join(self.lower(i) for i in range(lo, hi))
            feats.append(f"between={labels}|{direction}|{between}")
            feats += [f"between_word={labels}|{direction}|{self.lemma(i) or self.lower(i)}" for i in range(lo, hi)]
        return feats


def dependency_path(a: Token, b: Token) -> List[str]:
    """Steps from a up to the lowest common ancestor, then down to b."""
    return PairFeaturizer(a.doc).dependency_path(a.i, b.i)


def pair_features(doc: Doc, pair: Candidate, triggers_between: int) -> List[str]:
    """Feature strings of one candidate pair; for many pairs of a doc, use one PairFeaturizer."""
    return PairFeaturizer(doc).features(pair, triggers_between)


def triggers_between(pairs: Iterable[Candidate]) -> List[int]:
    """For each pair, how many other triggers of its sentence stand between its two spans."""
    pairs = list(pairs)
    trigger_starts = sorted({p[0] for p in pairs})
    counts = []
    for ts, te, _, as_, ae, _ in pairs:
        lo, hi = (te, as_) if as_ >= te else (ae, ts)
        inside = bisect_left(trigger_starts, hi) - bisect_left(trigger_starts, lo) if hi > lo else 0
        counts.append(inside - (1 if lo <= ts < hi else 0))
    return counts
