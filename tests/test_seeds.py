"""The seed articles are the project's real news: they must stay byte for byte as delivered."""
import hashlib
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _sums():
    lines = (SEEDS / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    return dict(reversed(line.split("  ", 1)) for line in lines if line.strip())


def test_sha256sums_lists_exactly_the_seed_files():
    assert sorted(_sums()) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(_sums()) == 5


@pytest.mark.parametrize("name", sorted(_sums()))
def test_seed_file_matches_its_checksum(name):
    digest = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
    assert digest == _sums()[name], f"seeds/{name} was changed: it must stay byte for byte as delivered"


def test_seed_gold_is_built_from_the_drafts_and_covers_every_seed_exactly(tmp_path):
    """corpus/seeds/seeds.jsonl is what the drafts build, over the seed files' exact text."""
    from csto_events.corpus.anchor import build_anchored
    from csto_events.corpus.records import read_jsonl

    gold = SEEDS.parent / "corpus" / "seeds" / "seeds.jsonl"
    rebuilt = tmp_path / "seeds.jsonl"
    records = build_anchored(sorted((SEEDS.parent / "corpus" / "seeds" / "drafts").glob("*.md")), rebuilt)
    assert rebuilt.read_bytes() == gold.read_bytes(), "seeds.jsonl is stale: rebuild it from corpus/seeds/drafts"
    assert sorted(r.id for r in records) == sorted(_sums())
    for record in read_jsonl(gold):
        assert record.meta["source"] == "seed"
        assert record.text == (SEEDS / record.id).read_bytes().decode("utf-8")
        assert record.entities, f"{record.id} has no gold spans"
