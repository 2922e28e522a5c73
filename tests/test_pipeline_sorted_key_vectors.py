"""SortedKeyVectors: the vectors and ranks spaCy's Vectors give, from two sorted arrays."""
import pickle
import shutil
import sys

import numpy
import pytest
import spacy
from spacy.vectors import Vectors

from csto_events.packaging.equivalents import use_sorted_key_vectors
from csto_events.pipeline.sorted_key_vectors import SORTED_KEY_VECTORS, SortedKeyVectors, VectorsFormatError
from csto_events.training.pretrained import md_path


def _stock() -> Vectors:
    """Four keys on three rows, as md shares rows between similar words."""
    strings = spacy.blank("en").vocab.strings
    vectors = Vectors(strings=strings, data=numpy.arange(9, dtype="float32").reshape(3, 3))
    for word, row in [("summit", 0), ("summits", 0), ("mission", 1), ("minsk", 2)]:
        vectors.add(strings.add(word), row=row)
    return vectors


def test_rows_batches_and_items_match_spacys_vectors():
    stock = _stock()
    compact = SortedKeyVectors.from_vectors(stock)
    keys = [stock.strings[w] for w in ("minsk", "summits", "unknown", "mission", "summit")]
    assert compact.find_rows(keys).tolist() == stock.find(keys=keys).tolist() == [2, 0, -1, 1, 0]
    batch = compact.get_batch(keys)
    assert batch.shape == (5, 3) and not batch[2].any(), "an unknown key gives zeros"
    assert numpy.array_equal(batch[[0, 1, 3, 4]], stock.data[[2, 0, 1, 0]])
    assert numpy.array_equal(compact["mission"], stock["mission"]) and "minsk" in compact and "unknown" not in compact
    with pytest.raises(KeyError):
        compact["unknown"]
    assert (compact.shape, compact.n_keys, len(compact)) == (stock.shape, stock.n_keys, len(stock))
    assert compact.key2row.get(stock.strings["minsk"], -7) == 2 and compact.key2row.get(12345, -7) == -7


def test_refuses_to_add_and_bad_arrays():
    compact = SortedKeyVectors.from_vectors(_stock())
    assert compact.is_full
    with pytest.raises(VectorsFormatError):
        compact.add(1, vector=numpy.zeros(3, dtype="float32"))
    with pytest.raises(VectorsFormatError, match="not sorted"):
        SortedKeyVectors(table=numpy.zeros((2, 3), "float32"), keys=numpy.array([5, 3], "uint64"), rows=numpy.array([0, 1], "int32"))
    with pytest.raises(VectorsFormatError, match="outside the table"):
        SortedKeyVectors(table=numpy.zeros((2, 3), "float32"), keys=numpy.array([3, 5], "uint64"), rows=numpy.array([0, 2], "int32"))


def test_disk_bytes_and_pickle_round_trips(tmp_path):
    compact = SortedKeyVectors.from_vectors(_stock())
    compact.to_disk(tmp_path)
    copies = [SortedKeyVectors().from_disk(tmp_path), SortedKeyVectors().from_bytes(compact.to_bytes()), pickle.loads(pickle.dumps(compact))]
    for copy in copies:
        assert numpy.array_equal(copy.data, compact.data) and numpy.array_equal(copy.keys_sorted, compact.keys_sorted)
        assert numpy.array_equal(copy.rows_sorted, compact.rows_sorted) and copy.attr == compact.attr
    (tmp_path / "sorted_key_vectors.keys.npy").unlink()
    with pytest.raises(VectorsFormatError, match="keys.npy missing"):
        SortedKeyVectors().from_disk(tmp_path)


@pytest.mark.slow
def test_md_with_sorted_key_vectors_gives_every_token_the_same_vector_rank_and_annotation(tmp_path, fixture_texts):
    shutil.copytree(md_path(), tmp_path / "md")
    record = use_sorted_key_vectors(tmp_path / "md")
    assert record["keys"] > 600_000 and record["bytes_after"] < 1.01 * record["bytes_before"]
    stock, compact = spacy.load(md_path()), spacy.load(tmp_path / "md")
    assert isinstance(compact.vocab.vectors, SortedKeyVectors)
    arrays = compact.vocab.vectors.keys_sorted.nbytes + compact.vocab.vectors.rows_sorted.nbytes
    assert arrays < sys.getsizeof(stock.vocab.vectors.key2row) / 2, "the map takes less memory than the dict's table alone"
    assert compact.config["nlp"]["vectors"]["@vectors"] == SORTED_KEY_VECTORS
    texts = fixture_texts + ["Interoperabilty drills near Kassym-Jomart's capital, 1,250 troops."]
    with_vector = without = 0
    for a, b in zip(stock.pipe(texts), compact.pipe(texts)):
        for x, y in zip(a, b):
            assert (x.has_vector, x.rank, x.is_oov, x.tag_, x.dep_, x.ent_type_) == (y.has_vector, y.rank, y.is_oov, y.tag_, y.dep_, y.ent_type_), x.text
            assert numpy.array_equal(x.vector, y.vector), x.text
            with_vector += x.has_vector
            without += not x.has_vector
    assert with_vector > 50 and without > 0, "words with and without vectors were compared"
