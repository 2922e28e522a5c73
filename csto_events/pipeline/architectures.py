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

from .candidates import Candidate, pair_features, triggers_between

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
    ops = model.ops
    docs = [doc for doc, _ in inputs]
    tokvecs, backprop_tok2vec = model.layers[0](docs, is_train)
    width = tokvecs[0].shape[1] if tokvecs else 0
    n_pairs = sum(len(pairs) for _, pairs in inputs)
    output = ops.alloc2f(n_pairs, 2 * width)
    row = 0
    for vectors, (_, pairs) in zip(tokvecs, inputs):
        for ts, te, _, as_, ae, _ in pairs:
            output[row, :width] = vectors[ts:te].mean(axis=0)
            output[row, width:] = vectors[as_:ae].mean(axis=0)
            row += 1

    def backprop(d_output: Floats2d) -> PairInput:
        d_tokvecs = [ops.alloc2f(*vectors.shape) for vectors in tokvecs]
        row = 0
        for d_vectors, (_, pairs) in zip(d_tokvecs, inputs):
            for ts, te, _, as_, ae, _ in pairs:
                d_vectors[ts:te] += d_output[row, :width] / (te - ts)
                d_vectors[as_:ae] += d_output[row, width:] / (ae - as_)
                row += 1
        backprop_tok2vec(d_tokvecs)
        return inputs

    return output, backprop


def pair_feature_ids() -> Model[PairInput, Ragged]:
    """Hash each pair's feature strings: a ragged array of uint64 ids, one row per pair."""
    return Model("pair_feature_ids", _feature_ids_forward)


def _feature_ids_forward(model: Model, inputs: PairInput, is_train: bool) -> Tuple[Ragged, Callable]:
    ids: List[int] = []
    lengths: List[int] = []
    for doc, pairs in inputs:
        for pair, n_between in zip(pairs, triggers_between(pairs)):
            feats = pair_features(doc, pair, n_between)
            ids.extend(hash_unicode(f) & 0xFFFFFFFF for f in feats)
            lengths.append(len(feats))
    data = model.ops.asarray(numpy.asarray(ids, dtype="uint64"), dtype="uint64")
    ragged = Ragged(data, model.ops.asarray1i(lengths))
    return ragged, lambda d_ragged: inputs
