"""The network of the event-argument component, registered under versioned names.

``csto_events.EventArgumentScorer.v1`` scores every candidate pair (see
candidates.py) over ``NONE`` and the four roles. It concatenates two views
of a pair: the mean token vectors of trigger and entity from a tok2vec layer
(context), and a hashed embedding of sparse dependency-path features (syntax).
A new version gets a new name, so trained pipelines keep loading.
"""
from typing import Callable, List, Optional, Tuple

import numpy
from murmurhash import hash_unicode
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, Ragged, Softmax, chain, concatenate, reduce_sum, with_array
from thinc.types import Floats2d

from .candidates import Candidate, PairFeaturizer, triggers_between

PairInput = List[Tuple[Doc, List[Candidate]]]


@registry.architectures("csto_events.EventArgumentScorer.v1")
def build_event_argument_scorer(
    tok2vec: Model[List[Doc], List[Floats2d]],
    hidden_width: int = 128,
    feature_width: int = 64,
    feature_rows: int = 50000,
    dropout: float = 0.2,
    nO: Optional[int] = None,
) -> Model[PairInput, Floats2d]:
    features = chain(
        pair_feature_ids(),
        with_array(HashEmbed(nO=feature_width, nV=feature_rows, seed=7, dropout=dropout)),
        reduce_sum(),
    )
    output_layer = Softmax(nO=nO)
    model = chain(
        concatenate(pair_span_vectors(tok2vec), features),
        Maxout(nO=hidden_width, nP=2, dropout=dropout, normalize=True),
        output_layer,
    )
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output_layer", output_layer)
    return model


def pair_span_vectors(tok2vec: Model[List[Doc], List[Floats2d]]) -> Model[PairInput, Floats2d]:
    """For each pair: [mean vector of the trigger; mean vector of the entity]."""
    return Model("pair_span_vectors", _span_vectors_forward, layers=[tok2vec], init=_span_vectors_init)


def _span_vectors_init(model: Model, X: Optional[PairInput] = None, Y=None) -> None:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=[doc for doc, _ in X] if X is not None else None)


def _span_vectors_forward(model: Model, inputs: PairInput, is_train: bool) -> Tuple[Floats2d, Callable]:
    """All span means of a batch in one gather and one ragged sum, as spaCy's spancat does.

    The spans go into one ragged array (trigger, then entity, for each pair),
    their rows are gathered from the batch's token vectors (the indices
    ``extract_spans`` would build, computed with numpy instead of a loop per
    span) and summed per span with ``ops.reduce_sum``. The sum is then divided
    by the span length rather than taken from ``ops.reduce_mean``: that one
    multiplies each row by 1/length, which rounds differently from numpy's
    mean that the first version used, and the outputs must stay bit for bit
    those of the weights trained with it.
    """
    ops = model.ops
    docs = [doc for doc, _ in inputs]
    tokvecs, backprop_tok2vec = model.layers[0](docs, is_train)
    width = tokvecs[0].shape[1] if tokvecs else 0
    starts, lengths = _span_rows(inputs, [len(vectors) for vectors in tokvecs])
    n_pairs = len(lengths) // 2
    doc_lengths = ops.asarray1i([len(vectors) for vectors in tokvecs])
    if n_pairs == 0:

        def backprop_nothing(d_output: Floats2d) -> PairInput:
            backprop_tok2vec([ops.alloc2f(*vectors.shape) for vectors in tokvecs])
            return inputs

        return ops.alloc2f(0, 2 * width), backprop_nothing
    indices = ops.asarray1i(_row_indices(starts, lengths))
    span_lengths = ops.asarray1i(lengths)
    divisor = ops.asarray2f(lengths.astype("float32").reshape((-1, 1)))
    flat = ops.flatten(tokvecs)
    means = ops.reduce_sum(flat[indices], span_lengths) / divisor
    output = means.reshape((n_pairs, 2 * width))

    def backprop(d_output: Floats2d) -> PairInput:
        # Every row of a span gets d_mean / length, added into the token rows in
        # pair order (trigger, then entity), the order of the first version's loop.
        d_rows = ops.backprop_reduce_sum(ops.xp.ascontiguousarray(d_output).reshape((2 * n_pairs, width)) / divisor, span_lengths)
        d_flat = ops.alloc2f(flat.shape[0], width)
        ops.scatter_add(d_flat, indices, d_rows)
        backprop_tok2vec(ops.unflatten(d_flat, doc_lengths))
        return inputs

    return output, backprop


def _span_rows(inputs: PairInput, doc_lengths: List[int]) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """Start row (in the flattened batch) and length of every span: trigger, entity, trigger, ..."""
    columns = [
        (offset + ts, te - ts, offset + as_, ae - as_)
        for offset, (_, pairs) in zip(numpy.cumsum([0] + doc_lengths[:-1]).tolist(), inputs)
        for ts, te, _, as_, ae, _ in pairs
    ]
    spans = numpy.asarray(columns, dtype="int64").reshape((-1, 2))
    return spans[:, 0], spans[:, 1]


def _row_indices(starts: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    """The rows of every span, concatenated: spans (5, 9) and (8, 10) give 5 6 7 8 8 9."""
    offsets = numpy.cumsum(lengths) - lengths
    return numpy.repeat(starts - offsets, lengths) + numpy.arange(int(lengths.sum()))


def pair_feature_ids() -> Model[PairInput, Ragged]:
    """Hash each pair's feature strings: a ragged array of uint64 ids, one row per pair."""
    return Model("pair_feature_ids", _feature_ids_forward)


def _feature_ids_forward(model: Model, inputs: PairInput, is_train: bool) -> Tuple[Ragged, Callable]:
    ids: List[int] = []
    lengths: List[int] = []
    for doc, pairs in inputs:
        if not pairs:
            continue
        featurizer = PairFeaturizer(doc)
        for pair, n_between in zip(pairs, triggers_between(pairs)):
            feats = featurizer.features(pair, n_between)
            ids.extend(hash_unicode(f) & 0xFFFFFFFF for f in feats)
            lengths.append(len(feats))
    data = model.ops.asarray(numpy.asarray(ids, dtype="uint64"), dtype="uint64")
    ragged = Ragged(data, model.ops.asarray1i(lengths))
    return ragged, lambda d_ragged: inputs
