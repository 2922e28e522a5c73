"""Deterministic splits: held-out sentences, and folds grouped by article.

Held-out sentences are assigned by a seeded hash of (article id, sentence
text), not by shuffling: adding articles to the corpus never moves an existing
sentence between train and test, so the test set stays the test set as the
corpus grows. Folds for cross-validation group sentences by article
(scikit-learn's GroupKFold), so no article is on both sides of a fold.
"""
import hashlib
from typing import Dict, List, Sequence, Tuple

from sklearn.model_selection import GroupKFold
from spacy.tokens import Doc

from ..pipeline.events import get_links, set_links

SPLITS = ("train", "dev", "test")
DEFAULT_FRACTIONS = (0.70, 0.15, 0.15)


def sentence_docs(doc: Doc) -> List[Doc]:
    """One Doc per sentence, with its spans and links (links never cross sentences)."""
    article = doc.user_data.get("id")
    links = get_links(doc)
    out = []
    for n, sent in enumerate(doc.sents):
        if not sent.text.strip():
            continue
        sent_doc = sent.as_doc()
        set_links(
            sent_doc,
            [
                (ts - sent.start, te - sent.start, as_ - sent.start, ae - sent.start, role)
                for ts, te, as_, ae, role in links
                if sent.start <= ts < sent.end
            ],
        )
        sent_doc.user_data["id"] = f"{article}#{n}"
        sent_doc.user_data["article"] = article
        sent_doc.user_data["meta"] = dict(doc.user_data.get("meta", {}))
        out.append(sent_doc)
    return out


def assign_split(article: str, sentence: str, seed: int, fractions: Sequence[float] = DEFAULT_FRACTIONS) -> str:
    digest = hashlib.sha256(f"{seed}\x00{article}\x00{sentence.strip()}".encode("utf-8")).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    for name, fraction in zip(SPLITS, fractions):
        cumulative += fraction
        if point < cumulative:
            return name
    return SPLITS[-1]


def split_sentences(
    sentences: Sequence[Doc], seed: int, fractions: Sequence[float] = DEFAULT_FRACTIONS
) -> Dict[str, List[Doc]]:
    splits: Dict[str, List[Doc]] = {name: [] for name in SPLITS}
    for doc in sentences:
        splits[assign_split(str(doc.user_data["article"]), doc.text, seed, fractions)].append(doc)
    return splits


def grouped_folds(sentences: Sequence[Doc], n_folds: int = 5) -> List[Tuple[List[Doc], List[Doc]]]:
    """(train, test) sentence lists per fold; every article's sentences stay together."""
    groups = [str(doc.user_data["article"]) for doc in sentences]
    if len(set(groups)) < n_folds:
        raise ValueError(f"{n_folds} folds need at least {n_folds} articles, found {len(set(groups))}")
    folds = []
    for train_idx, test_idx in GroupKFold(n_splits=n_folds).split(list(range(len(sentences))), groups=groups):
        folds.append(([sentences[i] for i in train_idx], [sentences[i] for i in test_idx]))
    return folds
