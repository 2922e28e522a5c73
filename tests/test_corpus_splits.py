import json
from dataclasses import replace

from csto_events.corpus.build import convert_corpus
from csto_events.corpus.convert import read_docbin, records_to_docs
from csto_events.corpus.records import write_jsonl
from csto_events.corpus.splits import (
    SPLITS, assign_article, grouped_folds, is_seed, sentence_docs, split_sentences,
)


def _articles(fixture_records, n, prefix="art", source="extra"):
    """n distinct articles (the fixtures under new ids), so a split has articles to spread."""
    return [replace(r, id=f"{prefix}{i}-{r.id}", meta={**r.meta, "source": source}) for i in range(n) for r in fixture_records]


def _sentences(records):
    return [s for d in records_to_docs(records) for s in sentence_docs(d)]


def _split_of(splits):
    return {d.user_data["id"]: name for name, docs in splits.items() for d in docs}


def test_split_is_deterministic_and_order_free(fixture_records):
    sentences = _sentences(_articles(fixture_records, 10))
    assert _split_of(split_sentences(sentences, seed=3)) == _split_of(split_sentences(list(reversed(sentences)), seed=3))


def test_split_keeps_every_article_on_one_side(fixture_records):
    sentences = _sentences(_articles(fixture_records, 20))
    splits = split_sentences(sentences, seed=0)
    sides = {}
    for name, docs in splits.items():
        for d in docs:
            sides.setdefault(d.user_data["article"], set()).add(name)
    assert all(len(s) == 1 for s in sides.values())
    assert {n for s in sides.values() for n in s} == set(SPLITS)  # 40 articles reach all three splits
    assert sum(len(v) for v in splits.values()) == len(sentences)


def test_growth_never_moves_an_old_sentence(fixture_records):
    old = _sentences(_articles(fixture_records, 10))
    before = _split_of(split_sentences(old, seed=3))
    new = _sentences(_articles(fixture_records, 15, prefix="new"))
    after = _split_of(split_sentences(new[:7] + old + new[7:], seed=3))
    assert len(after) == len(before) + len(new) and len(new) > 0
    assert {i: after[i] for i in before} == before
    assert set(after.values()) - {"train"}  # the new articles do not all land in train


def test_seed_articles_always_train(fixture_records):
    seeds = _articles(fixture_records, 20, prefix="seed", source="seed")
    sentences = _sentences(seeds + _articles(fixture_records, 20))
    assert all(is_seed(s) == s.user_data["article"].startswith("seed") for s in sentences)
    for seed in (0, 1, 2):
        splits = split_sentences(sentences, seed=seed)
        assert not any(is_seed(d) for name in ("dev", "test") for d in splits[name])
        assert sum(is_seed(d) for d in splits["train"]) == sum(is_seed(s) for s in sentences)
        # without the seed rule, some of those articles would have gone to dev or test
        assert {assign_article(s.user_data["article"], seed) for s in sentences if is_seed(s)} != {"train"}


def test_split_fractions_roughly_hold():
    names = [assign_article(f"article-{i}", seed=0) for i in range(4000)]
    assert 0.66 < names.count("train") / 4000 < 0.74
    assert 0.12 < names.count("test") / 4000 < 0.18
    assert [assign_article(f"article-{i}", seed=1) for i in range(50)] != names[:50]


def test_convert_records_the_source_and_lists_every_sentence(fixture_records, tmp_path):
    records = _articles(fixture_records, 6, prefix="seed", source="seed") + _articles(fixture_records, 14)
    write_jsonl(tmp_path / "corpus" / "x.jsonl", records)
    convert_corpus([tmp_path / "corpus"], tmp_path / "data", seed=0)
    manifest = json.loads((tmp_path / "data" / "splits.json").read_text())
    listed = [i for name in SPLITS for i in manifest["sentences"][name]]
    assert sorted(listed) == sorted(s.user_data["id"] for s in _sentences(records)) and len(set(listed)) == len(listed)
    assert any(i.startswith("seed") for i in manifest["sentences"]["train"])
    assert not any(i.startswith("seed") for name in ("dev", "test") for i in manifest["sentences"][name])
    train = read_docbin(tmp_path / "data" / "train.spacy")
    assert {d.user_data["meta"]["source"] for d in train if d.user_data["article"].startswith("seed")} == {"seed"}


def test_sentence_docs_keep_links_inside(fixture_records):
    doc = records_to_docs(fixture_records[:1])[0]
    sentences = sentence_docs(doc)
    assert [s.text.strip()[:7] for s in sentences] == ["CSTO we", "YEREVAN", "Sadykov"]
    assert sum(len(s._.event_links) for s in sentences) == len(doc._.event_links)
    for sent in sentences:
        labels = {(e.start, e.end): e.label_ for e in sent.ents}
        for ts, te, as_, ae, _ in sent._.event_links:
            assert labels[(ts, te)] in {"MISSION", "MEETING"} and labels[(as_, ae)] in {"ORG", "PERSON", "DATE"}


def test_folds_group_by_article(fixture_records):
    records = [replace(r, id=f"art{i}-{r.id}") for i in range(3) for r in fixture_records]
    docs = records_to_docs(records)
    sentences = [s for d in docs for s in sentence_docs(d)]
    folds = grouped_folds(sentences, n_folds=3)
    for train, test in folds:
        assert not {d.user_data["article"] for d in train} & {d.user_data["article"] for d in test}
    assert sorted(d.user_data["id"] for _, test in folds for d in test) == sorted(d.user_data["id"] for d in sentences)
