"""Variants are small files of changes merged onto their base, and mean exactly the full configs they replaced."""
import hashlib
import json
from pathlib import Path

import pytest
from thinc.api import Config
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.errors import DataError
from csto_events.training.configs import is_variant, load_config, parse_override_options

REPO = Path(__file__).parent.parent
# sha256 of each shipped config, merged and interpolated, as canonical JSON. Taken from
# the full variant files before they became override files, so a variant that means
# anything else than it did fails here. After a deliberate change to a config, update
# the figure (the test prints the new one) and say why in the commit.
FINGERPRINTS = json.loads((Path(__file__).parent / "fixtures" / "config-fingerprints.json").read_text())


def _fingerprint(config: Config) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_every_config_means_what_its_full_file_meant(name):
    assert _fingerprint(load_config(REPO / name, interpolate=True)) == FINGERPRINTS[name], name


def test_every_fingerprinted_config_is_still_shipped_and_every_config_loads():
    shipped = {str(p.relative_to(REPO)) for p in (REPO / "configs").rglob("*.cfg")}
    assert set(FINGERPRINTS) <= shipped
    for name in sorted(shipped):  # a new variant has no fingerprint yet, but must merge
        assert load_config(REPO / name)["nlp"]["pipeline"], name


def test_the_variants_are_small_and_the_full_configs_are_not_variants():
    for path in (REPO / "configs" / "variants").glob("*.cfg"):
        assert is_variant(path) and len(path.read_text().splitlines()) < 80, path
    assert not is_variant(REPO / "configs" / "default.cfg") and not is_variant(REPO / "configs" / "transformer.cfg")


def test_a_variant_changes_only_what_it_says(tmp_path):
    (tmp_path / "base.cfg").write_text(
        "[training]\nmax_steps = 100\ndropout = 0.1\n\n[components]\n\n[components.ner]\nsource = \"x\"\n", encoding="utf-8")
    (tmp_path / "v.cfg").write_text(
        '[variant]\nbase = "base.cfg"\nreplace = ["components.ner"]\n\n[training]\nmax_steps = 5\n\n'
        '[components]\n\n[components.ner]\nfactory = "ner"\n', encoding="utf-8")
    merged = load_config(tmp_path / "v.cfg")
    assert merged["training"] == {"max_steps": 5, "dropout": 0.1}
    assert merged["components"]["ner"] == {"factory": "ner"}, "replace drops the base's block first"
    assert "variant" not in merged
    assert load_config(tmp_path / "v.cfg", {"training.dropout": 0.3})["training"]["dropout"] == 0.3


def test_bad_variants_are_refused_with_their_file(tmp_path):
    (tmp_path / "a.cfg").write_text('[variant]\nbase = "b.cfg"\n', encoding="utf-8")
    (tmp_path / "b.cfg").write_text('[variant]\nbase = "a.cfg"\n', encoding="utf-8")
    with pytest.raises(DataError, match="in a circle"):
        load_config(tmp_path / "a.cfg")
    (tmp_path / "c.cfg").write_text('[variant]\nbase = "default.cfg"\nreplace = ["components.nothing"]\n', encoding="utf-8")
    (tmp_path / "default.cfg").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"c\.cfg: replace names 'components\.nothing'"):
        load_config(tmp_path / "c.cfg")
    with pytest.raises(DataError, match="config not found"):
        load_config(tmp_path / "missing.cfg")
    (tmp_path / "d.cfg").write_text('[variant]\nbase = "nowhere.cfg"\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.cfg: base config .*nowhere\.cfg not found"):
        load_config(tmp_path / "d.cfg")


def test_overrides_are_read_as_spacy_reads_its_own():
    assert parse_override_options(["training.max_steps=300", "training.dropout=0.2", "nlp.lang=en", "system.gpu_allocator=null"]) == {
        "training.max_steps": 300, "training.dropout": 0.2, "nlp.lang": "en", "system.gpu_allocator": None,
    }
    assert parse_override_options(None) == {}
    for bad in ("training.max_steps", "max_steps=3"):
        with pytest.raises(DataError, match="section.key=value"):
            parse_override_options([bad])


def test_the_config_command_prints_the_full_config_spacy_reads(tmp_path):
    variant = REPO / "configs" / "variants" / "lexicon.cfg"
    result = CliRunner().invoke(app, ["config", str(variant), "--output", str(tmp_path / "full.cfg")])
    assert result.exit_code == 0, result.output
    full = Config().from_disk(tmp_path / "full.cfg", interpolate=True)
    assert _fingerprint(full) == FINGERPRINTS["configs/variants/lexicon.cfg"]
