import re
from pathlib import Path

import pytest
import spacy

from csto_events.corpus.convert import ValidationError, write_docbin
from csto_events.corpus.records import CorpusError
from csto_events.training.markup_corpus import create_corpus_with_markup, markup_files, markup_sentences

REPO = Path(__file__).parent.parent
GENERAL_NEWS = REPO / "corpus" / "general-news"

NEWS = """# id: news-1
# writer: test

[Orrell Brewing]{ORG} hired [Tamsin Fairweather]{PERSON} in [2019]{DATE}. Shares rose.

[Celtic]{ORG} won on [Saturday evening]{DATE}.
"""


def test_markup_is_cut_into_gold_sentences(tmp_path):
    (tmp_path / "news.md").write_text(NEWS, encoding="utf-8")
    sentences = markup_sentences(tmp_path)
    assert [s.text.strip() for s in sentences] == [
        "Orrell Brewing hired Tamsin Fairweather in 2019.", "Shares rose.", "Celtic won on Saturday evening.",
    ]
    assert [[(e.text, e.label_) for e in s.ents] for s in sentences] == [
        [("Orrell Brewing", "ORG"), ("Tamsin Fairweather", "PERSON"), ("2019", "DATE")],
        [],
        [("Celtic", "ORG"), ("Saturday evening", "DATE")],
    ]
    assert {s.user_data["article"] for s in sentences} == {"news-1"}


def test_a_bad_span_is_named_by_file_line_and_span(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# id: bad\n\nShares in [the Orrell Brewing]{ORG} rose.\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.md:1 .*the Orrell Brewing.*determiner"):
        markup_sentences(bad)


def test_a_folder_without_markup_is_refused_by_name(tmp_path):
    with pytest.raises(CorpusError, match="empty: no markup files"):
        markup_files(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="empty: no markup files"):
        markup_files(tmp_path / "empty")


def test_reader_yields_gold_then_the_markup_sentences_every_epoch(tmp_path):
    nlp = spacy.blank("en")
    write_docbin([nlp("The CSTO met on Monday.")], tmp_path / "train.spacy")
    (tmp_path / "news.md").write_text(NEWS, encoding="utf-8")
    read = create_corpus_with_markup(tmp_path / "train.spacy", tmp_path / "news.md")
    first, second = list(read(nlp)), list(read(nlp))
    assert [e.reference.text.strip() for e in first] == [
        "The CSTO met on Monday.", "Orrell Brewing hired Tamsin Fairweather in 2019.", "Shares rose.",
        "Celtic won on Saturday evening.",
    ]
    assert [e.predicted.ents for e in first] == [(), (), (), ()]  # the model sees raw text
    assert [[e.text for e in x.reference.ents] for x in second] == [[e.text for e in x.reference.ents] for x in first]


def test_the_shipped_general_news_is_valid_entities_only_and_not_the_checks_texts():
    """Training on the forgetting checks' own names would score memory, not what the NER kept."""
    sentences = markup_sentences(GENERAL_NEWS)
    labels = {e.label_ for s in sentences for e in s.ents}
    assert labels == {"ORG", "PERSON", "DATE"}
    checks = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "corpus" / "unlabelled").glob("general-news*.txt"))
    names = {e.text for s in sentences for e in s.ents if e.label_ in ("ORG", "PERSON")}
    shared = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", checks))
    assert shared == []
    assert len(names) >= 100


@pytest.mark.slow
def test_general_news_variant_really_trains_with_the_markup_beside_gold(tmp_path):
    from csto_events.training.train import train_pipeline

    sentences = markup_sentences(REPO / "tests" / "fixtures")  # brief-a.md and brief-b.md
    write_docbin(sentences, tmp_path / "train.spacy")
    write_docbin(sentences, tmp_path / "dev.spacy")
    (tmp_path / "news.md").write_text(NEWS, encoding="utf-8")
    best = train_pipeline(
        REPO / "configs" / "variants" / "general-news.cfg", tmp_path / "model", tmp_path / "train.spacy", tmp_path / "dev.spacy",
        overrides={"paths.general_news": str(tmp_path / "news.md"), "training.max_steps": 4, "training.eval_frequency": 2},
    )
    nlp = spacy.load(best)
    assert {"MISSION", "MEETING", "ORG"} <= set(nlp.get_pipe("ner").labels)
    assert nlp("The CSTO sent a mission on Monday.")._.events is not None


def test_a_share_keeps_a_fixed_subset_in_text_order(tmp_path):
    nlp = spacy.blank("en")
    write_docbin([nlp("The CSTO met on Monday.")], tmp_path / "train.spacy")
    lines = "\n\n".join(f"[Firm{i} Ltd]{{ORG}} grew." for i in range(10))
    (tmp_path / "news.md").write_text(f"# id: firms\n\n{lines}\n", encoding="utf-8")
    texts = lambda share: [e.reference.text.strip() for e in create_corpus_with_markup(tmp_path / "train.spacy", tmp_path / "news.md", share=share)(nlp)][1:]
    half = texts(0.5)
    assert len(half) == 5 and half == texts(0.5)
    assert half == sorted(half, key=lambda t: int(t[4:t.index(" ")]))  # text order kept
    assert len(texts(1.0)) == 10
    with pytest.raises(ValueError, match="share must be in"):
        texts(0.0)


def test_a_list_of_files_reads_those_files_alone_in_the_order_given(tmp_path):
    (tmp_path / "a.md").write_text("# id: a\n\n[Celtic]{ORG} won.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# id: b\n\n[Orrell Brewing]{ORG} grew.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("# id: c\n\n[Tamsin Fairweather]{PERSON} spoke.\n", encoding="utf-8")
    assert markup_files([tmp_path / "c.md", tmp_path / "a.md"]) == [tmp_path / "c.md", tmp_path / "a.md"]
    texts = [s.text.strip() for s in markup_sentences([tmp_path / "c.md", tmp_path / "a.md"])]
    assert texts == ["Tamsin Fairweather spoke.", "Celtic won."]
    with pytest.raises(CorpusError, match="empty list"):
        markup_files([])
    with pytest.raises(CorpusError, match="missing.md: no markup files"):
        markup_files([tmp_path / "a.md", tmp_path / "missing.md"])
