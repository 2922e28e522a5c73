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


def _ner_that_knows(text, ents, steps=30):
    """A blank English NER trained until it finds ``ents`` in ``text``: a small stand-in for md's pretrained one."""
    from spacy.training import Example
    from spacy.util import fix_random_seed

    fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    example = Example.from_dict(nlp.make_doc(text), {"entities": ents})
    optimizer = nlp.initialize(lambda: [example])
    for _ in range(steps):
        nlp.update([example], sgd=optimizer, drop=0.0)
    return nlp


def test_rehearsal_pulls_the_ner_back_to_its_pretrained_answers(tmp_path):
    from spacy.training import Example
    from thinc.api import Adam

    from csto_events.training.rehearsal import make_rehearse_before_update

    text = "Brightwater Pharmaceuticals hired Ingrid Solberg ."
    known = [(0, 27, "ORG"), (34, 48, "PERSON")]
    nlp = _ner_that_knows(text, known)
    assert [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] == known
    nlp.resume_training()  # what `spacy train` runs for a sourced ner: keeps the pretrained copy
    # Fine-tuning that says the sentence has no entity makes the NER forget them ...
    forget = Example.from_dict(nlp.make_doc(text), {"entities": ["O"] * 6})
    optimizer = nlp.create_optimizer()
    for _ in range(30):
        nlp.update([forget], sgd=optimizer, drop=0.0)
    assert nlp(text).ents == ()
    # ... and rehearsal alone, against the copy, brings them back.
    (tmp_path / "news.txt").write_text(text + "\n", encoding="utf-8")
    rehearse = make_rehearse_before_update(tmp_path / "news.txt", Adam(0.01, use_averages=False), batch_size=1)
    for step in range(60):
        rehearse(nlp, {"step": step, "epoch": 0})
    assert [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] == known


def test_rehearsal_runs_only_every_nth_step(tmp_path):
    from spacy.training import Example
    from thinc.api import Adam

    from csto_events.training.rehearsal import make_rehearse_before_update

    text = "Rovers beat Athletic ."
    nlp = _ner_that_knows(text, [(0, 6, "ORG"), (12, 20, "ORG")], steps=5)
    nlp.resume_training()
    # One update away from the copy, so that a rehearsal update has something to undo.
    nlp.update([Example.from_dict(nlp.make_doc(text), {"entities": ["O"] * 4})], sgd=nlp.create_optimizer())
    (tmp_path / "news.txt").write_text(text + "\n", encoding="utf-8")
    upper = nlp.get_pipe("ner").model.get_ref("upper")
    before = upper.get_param("W").copy()
    rehearse = make_rehearse_before_update(tmp_path / "news.txt", Adam(0.01, use_averages=False), every=2)
    rehearse(nlp, {"step": 1, "epoch": 0})
    assert (upper.get_param("W") == before).all()  # step 1 is not a multiple of 2
    rehearse(nlp, {"step": 2, "epoch": 0})
    assert not (upper.get_param("W") == before).all()


def test_rehearsal_refuses_a_component_without_a_pretrained_copy(tmp_path):
    from thinc.api import Adam

    from csto_events.training.rehearsal import make_rehearse_before_update

    nlp = _ner_that_knows("Rovers won .", [(0, 6, "ORG")], steps=1)  # initialized, never resumed
    (tmp_path / "news.txt").write_text("Rovers won .\n", encoding="utf-8")
    rehearse = make_rehearse_before_update(tmp_path / "news.txt", Adam(0.01))
    with pytest.raises(RehearsalError, match="'ner' has no pretrained copy"):
        rehearse(nlp, {"step": 0, "epoch": 0})
    with pytest.raises(RehearsalError, match="no component 'tagger'"):
        make_rehearse_before_update(tmp_path / "news.txt", Adam(0.01), components=["tagger"])(nlp, {"step": 0, "epoch": 0})
    (tmp_path / "meetings.txt").write_text("The meeting ended .\nTalks resume .\n", encoding="utf-8")
    with pytest.raises(RehearsalError, match="meetings.txt: every rehearsal line has a trigger word"):
        make_rehearse_before_update(tmp_path / "meetings.txt", Adam(0.01))
    with pytest.raises(RehearsalError, match="batch_size >= 1"):
        make_rehearse_before_update(tmp_path / "news.txt", Adam(0.01), batch_size=0)
