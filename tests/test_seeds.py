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
