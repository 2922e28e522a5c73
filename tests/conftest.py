from pathlib import Path

import pytest

from csto_events.corpus.convert import make_segmenter
from csto_events.corpus.markup import read_markup

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def segmenter():
    return make_segmenter()


@pytest.fixture
def fixture_records():
    return [read_markup(path) for path in sorted(FIXTURES.glob("brief-*.md"))]
