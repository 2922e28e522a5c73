import pytest
import spacy

from csto_events.training.pretrained import md_path
from csto_events.training.rehearsal import RehearsalError, create_rehearsal_corpus, read_lines, silver_examples


@pytest.fixture(scope="module")
def md():
    return spacy.load(md_path())


def test_silver_spans_are_cut_to_the_scheme_and_triggers_left_unknown(md):
    nlp = spacy.blank("en")
    [example] = silver_examples(nlp, ["The board meeting of the Halvorsen Shipping Group lasted a week in Oslo."], md)
    ents = {ent.text: ent.label_ for ent in example.reference.ents}
    assert ents.get("a week") == "DATE"  # a DATE keeps its "a"
    assert "Oslo" not in ents  # places are not labelled
    assert all(not text.lower().startswith("the ") for text in ents)
    meeting = next(t for t in example.reference if t.text == "meeting")
    board = next(t for t in example.reference if t.text == "board")
    assert meeting.ent_iob_ == "" and board.ent_iob_ == "O"  # unknown, not "not an entity"


def test_labels_of_another_convention_can_be_left_unknown(md):
    """md calls "Saturday evening" a TIME, the guidelines a DATE; with DATE and TIME unknown, silver teaches neither."""
    nlp = spacy.blank("en")
    text = "Marta Lindholm of Barclays said on Monday that the talks would resume on Saturday evening."
    [taught] = silver_examples(nlp, [text], md)
    [names] = silver_examples(nlp, [text], md, labels=("ORG", "PERSON"), unknown_labels=("DATE", "TIME"))
    assert {e.label_ for e in taught.reference.ents} == {"ORG", "PERSON", "DATE"}
    assert {(e.text, e.label_) for e in names.reference.ents} == {("Marta Lindholm", "PERSON"), ("Barclays", "ORG")}
    iob = {t.text: t.ent_iob_ for t in names.reference}
    assert iob["Monday"] == iob["Saturday"] == iob["evening"] == ""  # unknown, not "outside"
    assert iob["said"] == "O"
    assert {t.text: t.ent_iob_ for t in taught.reference}["evening"] == "O"  # the old behaviour: TIME is outside


def test_reader_yields_gold_then_the_same_silver_every_epoch(tmp_path, md):
    from csto_events.corpus.convert import write_docbin

    nlp = spacy.blank("en")
    gold = nlp("The CSTO met on Monday.")
    write_docbin([gold], tmp_path / "train.spacy")
    texts = tmp_path / "news.txt"
    texts.write_text("Ingrid Solberg joined Brightwater Pharmaceuticals in 2019.\n\nRovers won on Saturday.\n", encoding="utf-8")
    read = create_rehearsal_corpus(tmp_path / "train.spacy", texts, md_path())
    first, second = list(read(nlp)), list(read(nlp))
    assert len(first) == 3 and first[0].reference.text == "The CSTO met on Monday."
    assert [e.reference.text for e in first[1:]] == ["Ingrid Solberg joined Brightwater Pharmaceuticals in 2019.", "Rovers won on Saturday."]
    assert [e.reference.ents for e in second[1:]] == [e.reference.ents for e in first[1:]]


def test_missing_or_empty_texts_are_named(tmp_path):
    with pytest.raises(RehearsalError, match="nothing.txt: cannot read"):
        read_lines(tmp_path / "nothing.txt")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(RehearsalError, match="empty.txt: no rehearsal texts"):
        read_lines(tmp_path / "empty.txt")


@pytest.mark.slow
def test_rehearsal_variant_really_trains_with_silver_beside_gold(tmp_path):
    """The variant config trains end to end through spaCy's loop with the rehearsal reader."""
    from pathlib import Path

    from csto_events.corpus.convert import records_to_docs, write_docbin
    from csto_events.corpus.markup import read_markup
    from csto_events.corpus.splits import sentence_docs
    from csto_events.training.train import train_pipeline

    repo = Path(__file__).parent.parent
    records = [read_markup(p) for p in sorted((repo / "tests" / "fixtures").glob("brief-*.md"))]
    sentences = [s for d in records_to_docs(records) for s in sentence_docs(d)]
    write_docbin(sentences, tmp_path / "train.spacy")
    write_docbin(sentences, tmp_path / "dev.spacy")
    texts = tmp_path / "news.txt"
    texts.write_text("Ingrid Solberg joined Brightwater Pharmaceuticals in 2019.\nRovers beat Northgate on Saturday.\n", encoding="utf-8")
    best = train_pipeline(
        repo / "configs" / "variants" / "rehearsal.cfg", tmp_path / "model", tmp_path / "train.spacy", tmp_path / "dev.spacy",
        overrides={"paths.rehearsal": str(texts), "training.max_steps": 4, "training.eval_frequency": 2},
    )
    nlp = spacy.load(best)
    assert {"MISSION", "MEETING", "ORG"} <= set(nlp.get_pipe("ner").labels)
    assert nlp("The CSTO sent a mission on Monday.")._.events is not None
