from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.splits import assign_split, grouped_folds, sentence_docs, split_sentences


def test_split_is_deterministic_and_stable_under_growth(fixture_records):
    docs = records_to_docs(fixture_records)
    sentences = [s for d in docs for s in sentence_docs(d)]
    first = split_sentences(sentences, seed=3)
    again = split_sentences(list(reversed(sentences)), seed=3)
    assert {k: sorted(d.user_data["id"] for d in v) for k, v in first.items()} == {
        k: sorted(d.user_data["id"] for d in v) for k, v in again.items()
    }
    grown = split_sentences(sentences + sentences[:0], seed=3)
    assert {k: len(v) for k, v in grown.items()} == {k: len(v) for k, v in first.items()}


def test_split_fractions_roughly_hold():
    names = [assign_split(f"a{i % 50}", f"sentence {i}", seed=0) for i in range(4000)]
    assert 0.66 < names.count("train") / 4000 < 0.74
    assert 0.12 < names.count("test") / 4000 < 0.18


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
    from dataclasses import replace

    records = [replace(r, id=f"art{i}-{r.id}") for i in range(3) for r in fixture_records]
    docs = records_to_docs(records)
    sentences = [s for d in docs for s in sentence_docs(d)]
    folds = grouped_folds(sentences, n_folds=3)
    for train, test in folds:
        assert not {d.user_data["article"] for d in train} & {d.user_data["article"] for d in test}
    assert sorted(d.user_data["id"] for _, test in folds for d in test) == sorted(d.user_data["id"] for d in sentences)
