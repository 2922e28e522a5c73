"""The trimmed string store: en_core_web_md's strings cut to what the pipeline adds itself, same annotations."""
import shutil

import pytest
import spacy
import srsly

from csto_events.packaging.package import package_pipeline, read_meta
from csto_events.packaging.strings import STRINGS_FILE, check_texts, compare_pipelines, needed_strings, trim_strings
from csto_events.training.pretrained import md_path

# Words with vectors in md, a rare one, a misspelling and a number: lookups by hash must still find each vector.
EXTRA_TEXTS = [
    "The CSTO sent a peacekeeping mission to Kazakhstan on 6 January 2022, led by Andrey Serdyukov.",
    "Ministers met in Yerevan; the communiqué mentioned interoperabilty and 1,250 troops.",
]


@pytest.fixture(scope="module")
def md_and_trimmed(tmp_path_factory):
    md = md_path()
    trimmed = tmp_path_factory.mktemp("md-trimmed") / "md"
    shutil.copytree(md, trimmed)
    return md, trimmed, trim_strings(trimmed)


@pytest.mark.slow
def test_md_trimmed_keeps_a_few_thousand_strings_and_every_annotation_and_vector(md_and_trimmed, fixture_texts):
    md, trimmed, result = md_and_trimmed
    assert result.before > 600_000 and result.after < 5_000, result
    assert result.bytes_after < result.bytes_before / 100
    kept = set(srsly.read_json(trimmed / STRINGS_FILE))
    assert {"'bout", "o'clock"} <= kept, "strings the tokenizer's exceptions add at load are kept"
    assert "peacekeeping" not in kept, "a vector key's text is dropped"
    original, cut = spacy.load(md), spacy.load(trimmed)
    comparison = compare_pipelines(original, cut, fixture_texts + EXTRA_TEXTS)
    assert comparison.identical, comparison.differences
    assert comparison.docs == len(fixture_texts) + 2
    assert 0 < comparison.tokens_with_vector < comparison.tokens, "both words with and without vectors were compared"
    assert cut("peacekeeping")[0].has_vector and not cut("interoperabilty")[0].has_vector


@pytest.mark.slow
def test_a_lost_vector_is_found_by_the_comparison(md_and_trimmed):
    md, trimmed, _ = md_and_trimmed
    original, cut = spacy.load(md), spacy.load(trimmed)
    key = cut.vocab.strings["mission"]
    del cut.vocab.vectors.key2row[key]
    comparison = compare_pipelines(original, cut, ["An observation mission arrived.", "Nothing else changed here."])
    assert not comparison.identical and comparison.different_docs == 1
    assert "token 2 'mission'" in comparison.differences[0]


def test_needed_strings_are_those_added_at_load_and_the_folder_is_untouched(fixture_pipeline):
    before = (fixture_pipeline / STRINGS_FILE).read_bytes()
    needed = needed_strings(fixture_pipeline)
    assert (fixture_pipeline / STRINGS_FILE).read_bytes() == before
    assert needed == sorted(needed) and set(needed) <= set(srsly.read_json(fixture_pipeline / STRINGS_FILE))
    assert {"MISSION", "LEADER"} & set(needed), "the components' labels come back when they load"


@pytest.mark.slow
def test_package_trims_and_checks_on_texts(fixture_pipeline, fixture_texts, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    for i, text in enumerate(fixture_texts):
        (texts / f"{i}.txt").write_text(text, encoding="utf-8")
    result = package_pipeline(fixture_pipeline, tmp_path / "out", data_dir=None, check_texts=[texts])
    lean = read_meta(result.wheel)["csto_events"]["lean"]
    store = lean["string_store"]
    assert store["strings_after"] <= store["strings_before"]
    assert lean["check"]["identical"] and lean["check"]["docs"] == len(fixture_texts)
    # The fixture pipeline has neither vectors nor an attribute ruler: those swaps say so.
    assert "skipped" in lean["vectors"] and "skipped" in lean["attribute_ruler"]
    assert len(check_texts([texts])) == len(fixture_texts)
