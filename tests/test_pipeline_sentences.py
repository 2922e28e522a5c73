"""The line-break sentencizer: spaCy's punctuation rule plus a sentence start after every line break."""
import spacy

from csto_events.pipeline.sentences import LINE_BREAK_SENTENCIZER


def make_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe(LINE_BREAK_SENTENCIZER)
    return nlp


def sentences(nlp, text):
    return [sent.text for sent in nlp(text).sents]


def test_a_headline_without_a_period_is_a_sentence_of_its_own():
    nlp = make_nlp()
    text = "CSTO observers arrive in Yerevan\nThe mission began on Monday. It will last a week."
    assert sentences(nlp, text) == [
        "CSTO observers arrive in Yerevan\n", "The mission began on Monday.", "It will last a week.",
    ]


def test_every_line_break_starts_a_sentence_also_blank_lines_and_datelines():
    nlp = make_nlp()
    doc = nlp("MOSCOW, 3 May\n\nTalks opened")
    starts = [token.text for token in doc if token.is_sent_start]
    assert starts[0] == "MOSCOW" and "Talks" in starts
    # No sentence spans a line break.
    assert all("\n" not in sent.text.rstrip() for sent in doc.sents)


def test_without_a_line_break_it_is_the_punctuation_sentencizer():
    text = "The summit opened in Minsk. Ministers met on Friday! Was it agreed? No"
    ours = sentences(make_nlp(), text)
    punctuation = spacy.blank("en")
    punctuation.add_pipe("sentencizer")
    assert ours == sentences(punctuation, text) == ["The summit opened in Minsk.", "Ministers met on Friday!", "Was it agreed?", "No"]


def test_a_saved_pipeline_keeps_the_rule(tmp_path):
    nlp = make_nlp()
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    text = "Headline\nBody text. More."
    assert sentences(loaded, text) == sentences(nlp, text) == ["Headline\n", "Body text.", "More."]
