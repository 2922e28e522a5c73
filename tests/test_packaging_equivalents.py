"""The lean equivalents the package ships: same output as the trained pipeline, checked token by token."""
import shutil

import numpy
import pytest
import spacy

from csto_events.packaging.equivalents import EquivalentError, use_sorted_key_vectors, use_token_cached_attribute_ruler
from csto_events.packaging.strings import compare_pipelines, trim_strings
from csto_events.pipeline.attribute_ruler import ATTRIBUTE_RULER
from csto_events.training.pretrained import md_path

EXTRA_TEXTS = ["There is a summit; we're gonna see, let's wait.", "Interoperabilty drills near Kassym-Jomart's capital on 6 January 2022."]


def test_the_ruler_swap_needs_spacys_attribute_ruler(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="attribute_ruler")  # the name, not the factory
    nlp.to_disk(tmp_path / "other")
    with pytest.raises(EquivalentError, match="made by 'entity_ruler'"):
        use_token_cached_attribute_ruler(tmp_path / "other")
    spacy.blank("en").to_disk(tmp_path / "blank")
    assert "skipped" in use_token_cached_attribute_ruler(tmp_path / "blank")
    assert "skipped" in use_sorted_key_vectors(tmp_path / "blank")


@pytest.fixture(scope="module")
def md_lean(tmp_path_factory):
    lean = tmp_path_factory.mktemp("md-lean") / "md"
    shutil.copytree(md_path(), lean)
    use_sorted_key_vectors(lean)
    assert use_token_cached_attribute_ruler(lean)["factory"] == ATTRIBUTE_RULER
    trim_strings(lean)
    return lean


@pytest.mark.slow
def test_md_with_every_swap_annotates_exactly_as_md(md_lean, fixture_texts):
    comparison = compare_pipelines(spacy.load(md_path()), spacy.load(md_lean), fixture_texts + EXTRA_TEXTS)
    assert comparison.identical, comparison.differences
    assert 0 < comparison.tokens_with_vector < comparison.tokens


@pytest.mark.slow
def test_a_changed_vector_row_is_caught(md_lean):
    changed = spacy.load(md_lean)
    vectors = changed.vocab.vectors
    row = vectors.find_rows([changed.vocab.strings.add("mission")])[0]
    vectors.data = numpy.array(vectors.data)
    vectors.data[row] += 1.0
    comparison = compare_pipelines(spacy.load(md_path()), changed, ["An observation mission arrived.", "Nothing else here."])
    assert not comparison.identical and comparison.different_docs == 1
