"""Deterministic splits: held-out articles, and folds grouped by article.

The held-out split is by article: every sentence of an article goes to the
same split, chosen by a seeded hash of the article id alone. Sentences of one
article share writer, topic and names, so a split that put some of them in
training and others in test would score the model on text it has half seen.
Hashing (rather than shuffling) means adding articles to the corpus never
moves an existing one between train and test, so the test set stays the test
set as the corpus grows.

The seed articles (``source`` = ``seed``: the real news the project was
founded on) always go to train: the shipped model learns from all of them,
and they are scored on their own by leave-one-seed-out
(``evaluation/real_news.py``), not as a few sentences of the held-out test.

Folds for cross-validation group sentences by article (scikit-learn's
GroupKFold), so no article is on both sides of a fold.
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


SEED_SOURCE = "seed"


def is_seed(doc: Doc) -> bool:
    """Whether a Doc comes from a seed article (``source`` = ``seed`` in the record's metadata)."""
    return str((doc.user_data.get("meta") or {}).get("source", "")) == SEED_SOURCE


def article_of(doc: Doc) -> str:
    """The article a sentence Doc belongs to (a whole-article Doc is its own article)."""
    return str(doc.user_data.get("article", doc.user_data.get("id")))


def assign_article(article: str, seed: int, fractions: Sequence[float] = DEFAULT_FRACTIONS) -> str:
    """The split of an article: a point in [0, 1) from a seeded hash of its id, cut at the fractions."""
    digest = hashlib.sha256(f"{seed}\x00{article}".encode("utf-8")).digest()
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
    """Every sentence in the split of its article; seed articles always in train."""
    splits: Dict[str, List[Doc]] = {name: [] for name in SPLITS}
    for doc in sentences:
        name = "train" if is_seed(doc) else assign_article(article_of(doc), seed, fractions)
        splits[name].append(doc)
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
