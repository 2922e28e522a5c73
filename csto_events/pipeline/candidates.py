"""Which (trigger, entity) pairs the event-argument component scores, and their features.

A pair is a candidate only when the trigger and the entity share a sentence
and the role table allows at least one role between their labels; that keeps
the work linear in practice and makes a forbidden link impossible by
construction. The sparse features describe how the two spans relate in the
dependency parse (path, prepositions on it, the words just before the
entity), because with little data the syntax of "headed by X", "talks with
Y", "on Monday" generalises where word identities do not.
"""
from typing import Iterable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Span, Token

from .scheme import ENTITY_LABELS, TRIGGER_LABELS, allowed_roles

# (trigger_start, trigger_end, trigger_label, argument_start, argument_end, argument_label)
Candidate = Tuple[int, int, str, int, int, str]


def candidate_pairs(doc: Doc, ents: Optional[Sequence[Span]] = None) -> List[Candidate]:
    """Every allowed same-sentence pair, in a stable order (trigger, then entity position)."""
    ents = list(doc.ents if ents is None else ents)
    sentence_of = _sentence_ids(doc)
    triggers = [e for e in ents if e.label_ in TRIGGER_LABELS]
    entities = [e for e in ents if e.label_ in ENTITY_LABELS]
    pairs: List[Candidate] = []
    for trigger in triggers:
        for entity in entities:
            if sentence_of[trigger.start] != sentence_of[entity.start]:
                continue
            if allowed_roles(trigger.label_, entity.label_):
                pairs.append((trigger.start, trigger.end, trigger.label_, entity.start, entity.end, entity.label_))
    return pairs


def _sentence_ids(doc: Doc) -> List[int]:
    ids, current = [], -1
    has_sents = doc.has_annotation("SENT_START") or doc.has_annotation("DEP")
    for token in doc:
        if token.i == 0 or (has_sents and token.is_sent_start):
            current += 1
        ids.append(current)
    return ids


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "far"


def _ancestors(token: Token) -> List[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 50:
        chain.append(chain[-1].head)
    return chain


def dependency_path(a: Token, b: Token) -> List[str]:
    """Steps from a up to the lowest common ancestor, then down to b."""
    up, down = _ancestors(a), _ancestors(b)
    down_ids = {t.i: n for n, t in enumerate(down)}
    for n, token in enumerate(up):
        if token.i in down_ids:
            rise = [f"{t.dep_}^" for t in up[:n]]
            fall = [f"{t.dep_}v" for t in reversed(down[: down_ids[token.i]])]
            return rise + [f"<{token.lemma_.lower() if token.pos_ in ('ADP', 'VERB', 'AUX') else token.pos_}>"] + fall
    return ["nopath"]


def pair_features(doc: Doc, pair: Candidate, triggers_between: int) -> List[str]:
    """Feature strings of one candidate pair (hashed and embedded by the model)."""
    ts, te, tl, as_, ae, al = pair
    trigger, entity = doc[ts:te], doc[as_:ae]
    labels = f"{tl}>{al}"
    direction = "after" if as_ >= te else "before"
    distance = as_ - te if as_ >= te else ts - ae
    feats = [
        f"pair={labels}",
        f"dist={labels}|{direction}|{_bucket(distance)}",
        f"trig_between={labels}|{direction}|{min(triggers_between, 2)}",
        f"trig_head={trigger.root.lemma_.lower()}",
        f"trig_head_pair={labels}|{trigger.root.lemma_.lower()}",
    ]
    has_parse = doc.has_annotation("DEP")
    if has_parse:
        path = dependency_path(trigger.root, entity.root)
        feats += [
            f"path={labels}|{'/'.join(path)}",
            f"path_len={labels}|{_bucket(len(path))}",
            f"ent_dep={labels}|{entity.root.dep_}|{entity.root.head.lemma_.lower()}",
            f"ent_head={labels}|{entity.root.head.lemma_.lower()}",
            f"trig_dep={labels}|{trigger.root.dep_}",
        ]
        feats += [f"path_step={labels}|{step}" for step in path if step.startswith("<")]
    before = doc[as_ - 1].lower_ if as_ > 0 else "<s>"
    before2 = doc[as_ - 2].lower_ if as_ > 1 else "<s>"
    after = doc[ae].lower_ if ae < len(doc) else "</s>"
    feats += [
        f"ent_prev={labels}|{before}",
        f"ent_prev2={labels}|{before2} {before}",
        f"ent_next={labels}|{after}",
        f"ent_prev_dir={labels}|{direction}|{before}",
    ]
    lo, hi = (te, as_) if direction == "after" else (ae, ts)
    if hi - lo <= 6:
        between = " ".join(t.lower_ for t in doc[lo:hi])
        feats.append(f"between={labels}|{direction}|{between}")
        feats += [f"between_word={labels}|{direction}|{t.lemma_.lower() or t.lower_}" for t in doc[lo:hi]]
    return feats


def triggers_between(pairs: Iterable[Candidate]) -> List[int]:
    """For each pair, how many other triggers of its sentence stand between its two spans."""
    pairs = list(pairs)
    trigger_starts = sorted({p[0] for p in pairs})
    counts = []
    for ts, te, _, as_, ae, _ in pairs:
        lo, hi = (te, as_) if as_ >= te else (ae, ts)
        counts.append(sum(1 for s in trigger_starts if lo <= s < hi and s != ts))
    return counts
