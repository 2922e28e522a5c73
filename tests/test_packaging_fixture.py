"""A small real pipeline for the packaging, extraction and benchmark tests.

``build_fixture_pipeline`` assembles what a trained csto-events pipeline has,
at test size: the shared line-break sentencizer, an entity_ruler with the
fixture articles' gold spans as phrase patterns (entities and triggers), and
the real ``csto_event_arguments`` component trained a few dozen steps on the
fixtures' gold links. Every component is shipped code or spaCy's own, so the
saved folder can be packaged and loaded where only the wheel is installed.
Other test modules import it (pytest puts tests/ on sys.path).
"""
from pathlib import Path
from typing import List

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed

import csto_events.pipeline  # noqa: F401
from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.markup import read_markup

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_texts() -> List[str]:
    return [read_markup(p).text for p in sorted(FIXTURES.glob("brief-*.md"))]


def build_fixture_pipeline(path: Path, steps: int = 40) -> Path:
    """Train, save to ``path`` and return it (deterministic: fixed seed)."""
    fix_random_seed(0)
    gold = records_to_docs([read_markup(p) for p in sorted(FIXTURES.glob("brief-*.md"))])
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer", name="sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    nlp.add_pipe("csto_event_arguments", name="event_arguments")
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
    optimizer = nlp.initialize(lambda: examples)
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in sorted({(e.label_, e.text) for d in gold for e in d.ents})])
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer, annotates=["sentencizer"])
    nlp.meta["performance"] = nlp.evaluate([Example(nlp.make_doc(doc.text), doc) for doc in gold])  # as spacy train records dev scores
    nlp.to_disk(path)
    return path


def test_fixture_pipeline_finds_events_with_arguments(tmp_path):
    nlp = spacy.load(build_fixture_pipeline(tmp_path / "model"))
    docs = list(nlp.pipe(fixture_texts()))
    events = [event for doc in docs for event in doc._.events]
    assert {e.type for e in events} == {"MISSION", "MEETING"}
    linked = {(e.trigger.text, a.role, a.span.text) for e in events for a in e.arguments}
    assert ("monitoring mission", "LEADER", "Aigerim Sadykova") in linked
    assert ("extraordinary session", "AGENT", "European Union") in linked
