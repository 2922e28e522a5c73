"""Fixtures shared by the test modules: small real data and a small real trained pipeline.

The builders behind them live in ``fixture_data.py`` (a helper module, not a
test module), for the helper functions of test modules that call them directly.
"""
from pathlib import Path
from typing import List

import pytest

import fixture_data
from csto_events.corpus.convert import make_segmenter
from csto_events.corpus.markup import read_markup

FIXTURES = fixture_data.FIXTURES
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def segmenter():
    return make_segmenter()


@pytest.fixture
def fixture_records():
    return [read_markup(path) for path in sorted(FIXTURES.glob("brief-*.md"))]


@pytest.fixture(scope="session")
def fixture_texts() -> List[str]:
    """The texts of the fixture articles (``brief-*.md``), in name order."""
    return fixture_data.fixture_texts()


@pytest.fixture(scope="session")
def fixture_pipeline(tmp_path_factory) -> Path:
    """The fixture pipeline's folder, trained once per session; treat it as read-only."""
    return fixture_data.build_fixture_pipeline(tmp_path_factory.mktemp("fixture-pipeline") / "model")


@pytest.fixture(scope="session")
def tiny_config() -> str:
    """A training config small enough to train in seconds: line-break sentencizer, ner, event_arguments."""
    return fixture_data.TINY_CONFIG


@pytest.fixture(scope="session")
def tiny_config_file(tmp_path_factory) -> Path:
    """The tiny config filled with spaCy's defaults, as a file the trainer reads."""
    from spacy.cli.init_config import fill_config

    folder = tmp_path_factory.mktemp("tiny-config")
    (folder / "tiny.cfg").write_text(fixture_data.TINY_CONFIG)
    fill_config(folder / "full.cfg", folder / "tiny.cfg", silent=True)
    return folder / "full.cfg"
