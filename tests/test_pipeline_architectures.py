"""The vectorised pair span means give the per-pair loop's outputs and gradients, bit for bit.

``csto_events.EventArgumentScorer.v1`` keeps its name after the span means
were vectorised because trained weights give the same scores; these tests
hold the first version's loop as the reference and compare a tiny trained
model both ways.
"""
import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import fix_random_seed
from thinc.api import Model

from csto_events.corpus.convert import records_to_docs
from csto_events.pipeline import architectures
from csto_events.pipeline.architectures import _row_indices
from csto_events.pipeline.candidates import candidate_pairs


def loop_span_vectors_forward(model: Model, inputs, is_train: bool):
    """The first version of the pair span means: one numpy mean per span, in a Python loop."""
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

    def backprop(d_output):
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


def with_gold_ents(nlp, gold):
    doc = nlp.get_pipe("csto_line_break_sentencizer")(nlp.make_doc(gold.text))
    doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in gold.ents]
    return doc


def train_tiny(gold_docs, steps: int = 15):
    fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    nlp.add_pipe("csto_event_arguments", name="event_arguments")
    examples = [Example(with_gold_ents(nlp, g), g) for g in gold_docs]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer, annotates=["csto_line_break_sentencizer"])
    return nlp


@pytest.fixture
def trained_both_ways(fixture_records, monkeypatch):
    """The same tiny model trained with the vectorised means and with the loop (same seed)."""
    gold_docs = records_to_docs(fixture_records)
    vectorised = train_tiny(gold_docs)
    monkeypatch.setattr(architectures, "_span_vectors_forward", loop_span_vectors_forward)
    loop = train_tiny(gold_docs)
    monkeypatch.undo()
    return vectorised, loop, gold_docs


def span_layer(nlp):
    return next(node for node in nlp.get_pipe("event_arguments").model.walk() if node.name == "pair_span_vectors")


def test_training_gives_the_same_weights_as_the_loop(trained_both_ways):
    vectorised, loop, _ = trained_both_ways
    assert span_layer(vectorised)._func is architectures._span_vectors_forward
    assert span_layer(loop)._func is loop_span_vectors_forward, "the reference really ran"
    assert vectorised.get_pipe("event_arguments").model.to_bytes() == loop.get_pipe("event_arguments").model.to_bytes()


def test_trained_model_scores_and_gradients_equal_the_loop(trained_both_ways):
    nlp, _, gold_docs = trained_both_ways
    docs = [with_gold_ents(nlp, g) for g in gold_docs]
    inputs = [(doc, candidate_pairs(doc)) for doc in docs]
    pairs = [p for _, doc_pairs in inputs for p in doc_pairs]
    assert len(pairs) >= 10
    assert ({p[1] - p[0] for p in pairs} | {p[4] - p[3] for p in pairs}) - {1, 2, 4}, "a length whose mean rounds (not 1, 2, 4)"
    layer = span_layer(nlp)
    new, new_backprop = architectures._span_vectors_forward(layer, inputs, True)
    old, old_backprop = loop_span_vectors_forward(layer, inputs, True)
    numpy.testing.assert_array_equal(new, old)

    model = nlp.get_pipe("event_arguments").model
    scores = model.predict(inputs)
    layer._func = loop_span_vectors_forward
    try:
        loop_scores = model.predict(inputs)
    finally:
        layer._func = architectures._span_vectors_forward
    numpy.testing.assert_allclose(scores, loop_scores, rtol=0, atol=1e-7)
    assert (scores == loop_scores).all(), "bit for bit, so v1 weights keep their outputs"

    # Gradients reach the tok2vec the same way: compare what its backprop receives.
    received = []
    tok2vec = layer.layers[0]
    real_forward = tok2vec._func

    def recording_forward(model, docs, is_train):
        output, backprop = real_forward(model, docs, is_train)

        def recording_backprop(d_tokvecs):
            received.append([d.copy() for d in d_tokvecs])
            return backprop(d_tokvecs)

        return output, recording_backprop

    d_output = numpy.random.RandomState(0).uniform(-1, 1, new.shape).astype("float32")
    tok2vec._func = recording_forward
    try:
        architectures._span_vectors_forward(layer, inputs, True)[1](d_output)
        loop_span_vectors_forward(layer, inputs, True)[1](d_output)
    finally:
        tok2vec._func = real_forward
    assert len(received) == 2
    for d_new, d_old in zip(*received):
        numpy.testing.assert_array_equal(d_new, d_old)


def test_a_batch_without_pairs_gives_no_rows(trained_both_ways):
    nlp = trained_both_ways[0]
    docs = [nlp("No entities here."), nlp("Nor here.")]
    layer = span_layer(nlp)
    output, backprop = architectures._span_vectors_forward(layer, [(doc, []) for doc in docs], False)
    assert output.shape == (0, 128), "two 64-wide means per pair, no pair"
    assert backprop(output) == [(doc, []) for doc in docs]


def test_row_indices_concatenate_every_span():
    starts, lengths = numpy.asarray([5, 8, 0]), numpy.asarray([4, 2, 1])
    assert _row_indices(starts, lengths).tolist() == [5, 6, 7, 8, 8, 9, 0]
