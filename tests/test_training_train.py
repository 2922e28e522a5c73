"""The shipped configs are valid, and the default really trains, deterministically."""
import json
from pathlib import Path

import pytest
import spacy
from spacy.cli.debug_config import debug_config

from csto_events.corpus.convert import records_to_docs, write_docbin
from csto_events.corpus.splits import sentence_docs
from csto_events.training.train import config_overrides, train_pipeline

REPO = Path(__file__).parent.parent

CONFIGS = sorted((REPO / "configs").rglob("*.cfg"))


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    from csto_events.corpus.markup import read_markup

    records = [read_markup(p) for p in sorted((REPO / "tests" / "fixtures").glob("brief-*.md"))]
    sentences = [s for d in records_to_docs(records) for s in sentence_docs(d)]
    folder = tmp_path_factory.mktemp("data")
    write_docbin(sentences, folder / "train.spacy")
    write_docbin(sentences, folder / "dev.spacy")
    return folder


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_every_shipped_config_passes_debug_config(config, tiny_data):
    overrides = config_overrides(config, tiny_data / "train.spacy", tiny_data / "dev.spacy", 0, None)
    debug_config(config, overrides=overrides)  # exits non-zero on an invalid config


def _train(tiny_data, out: Path) -> Path:
    steps = {"training.max_steps": 8, "training.eval_frequency": 4}
    return train_pipeline(REPO / "configs" / "default.cfg", out, tiny_data / "train.spacy", tiny_data / "dev.spacy", steps, seed=1)


@pytest.mark.slow
def test_default_config_trains_end_to_end_and_deterministically(tiny_data, tmp_path):
    first, second = _train(tiny_data, tmp_path / "a"), _train(tiny_data, tmp_path / "b")
    nlp = spacy.load(first)
    assert nlp.pipe_names[-1] == "event_arguments" and "MISSION" in nlp.get_pipe("ner").labels
    scores = [json.loads((p / "meta.json").read_text())["performance"] for p in (first, second)]
    assert scores[0] == scores[1]
    text = "The CSTO sent an observation mission to Armenia on Monday, led by Anatoly Sidorov."
    again = spacy.load(second)
    a, b = nlp(text), again(text)
    assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]
    assert a._.event_links == b._.event_links
