"""Small real test data shared by the test modules: the fixture articles, a trained pipeline, a tiny config.

A helper module, not a test module: pytest collects nothing here, and the
fixtures in ``conftest.py`` wrap these for tests that take them as arguments.
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
    """What a trained csto-events pipeline has, at test size; trained, saved to ``path``, deterministic.

    The shared line-break sentencizer, an entity_ruler with the fixture
    articles' gold spans as phrase patterns (entities and triggers), and the
    real ``csto_event_arguments`` component trained a few dozen steps on the
    fixtures' gold links. Every component is shipped code or spaCy's own, so
    the folder can be packaged and loaded where only the wheel is installed.
    """
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


# A training config that trains in seconds: line-break sentencizer, ner, event_arguments.
TINY_CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["sentencizer","ner","event_arguments"]

[components]

[components.sentencizer]
factory = "csto_line_break_sentencizer"

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 16
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 16
depth = 1
embed_size = 500
window_size = 1
maxout_pieces = 2
subword_features = true

[components.event_arguments]
factory = "csto_event_arguments"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}

[training]
seed = ${system.seed}
max_steps = 100
eval_frequency = 5

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false
"""
