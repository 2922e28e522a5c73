import random

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from csto_events.pipeline.events import get_events, set_links
from csto_events.training.augment import create_real_copy_augmenter


@pytest.fixture
def nlp():
    return spacy.blank("en")


@pytest.fixture
def example(nlp):
    words = ["The", "CSTO", "sent", "a", "mission", "led", "by", "Anatoly", "Sidorov", "on", "Monday", "."]
    ents = ["O", "B-ORG", "O", "O", "B-MISSION", "O", "O", "B-PERSON", "I-PERSON", "O", "B-DATE", "O"]
    reference = Doc(nlp.vocab, words=words, spaces=[True] * 10 + [False, False], ents=ents)
    set_links(reference, [(4, 5, 1, 2, "AGENT"), (4, 5, 7, 9, "LEADER"), (4, 5, 10, 11, "TIME")])
    return Example(nlp.make_doc(reference.text), reference)


def _events(doc):
    return [(e.trigger.text, sorted((a.role, a.span.label_) for a in e.arguments)) for e in get_events(doc)]


def test_rewritten_copy_keeps_every_link_on_the_moved_tokens(nlp, example):
    random.seed(0)
    augment = create_real_copy_augmenter(dateline=1.0, names=1.0, surname_only=0.5, headline_case=0.0)
    original, rewritten = list(augment(nlp, example))
    assert original is example
    reference = rewritten.reference
    assert reference.text != example.reference.text
    assert _events(reference) == _events(example.reference)
    leader = next(a for a in get_events(reference)[0].arguments if a.role == "LEADER")
    assert leader.span.text != "Anatoly Sidorov" and leader.span.label_ == "PERSON"
    # The dateline's own DATE (or the agency's ORG) is labelled but linked to nothing.
    linked = {(a.span.start, a.span.end) for e in get_events(reference) for a in e.arguments}
    assert any((ent.start, ent.end) not in linked and ent.label_ in {"DATE", "ORG"} for ent in reference.ents[:2])
    assert rewritten.predicted.text == reference.text


def test_rates_of_zero_leave_the_example_alone_and_bad_rates_are_refused(nlp, example):
    augment = create_real_copy_augmenter(dateline=0.0, names=0.0, headline_case=0.0)
    assert list(augment(nlp, example)) == [example]
    with pytest.raises(ValueError, match="dateline must be between 0 and 1"):
        create_real_copy_augmenter(dateline=1.5)


def test_the_same_seed_gives_the_same_copies(nlp, example):
    augment = create_real_copy_augmenter(dateline=0.5, names=0.5, headline_case=0.5)
    texts = []
    for _ in range(2):
        random.seed(7)
        texts.append([e.reference.text for _ in range(5) for e in augment(nlp, example)])
    assert texts[0] == texts[1]
