"""Run a spaCy pipeline over gold texts and return Output-format predictions.

Two settings. End to end: the pipeline reads the raw text and everything it
outputs is scored. From gold entities and triggers: the pipeline runs up to
(not including) its event-argument component, its entities are replaced by
the gold ones, and only the argument component runs, so argument scores are
not capped by entity and trigger errors. The component contract
(``pipeline/event_arguments.py``) is that it reads ``doc.ents`` and writes ``doc._.event_links``.
"""
import sys
import time
from typing import Callable, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extract.loading import load_pipeline  # noqa: F401  (the loader of crossval and the suite)
from ..pipeline.events import Output, doc_to_output
from .documents import GoldSet
from .runs import SystemRun

ARGUMENT_COMPONENT = "event_arguments"
Progress = Optional[Callable[[str], None]]


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def has_argument_component(nlp: Language, name: str = ARGUMENT_COMPONENT) -> bool:
    return name in nlp.pipe_names


def _pipe_with_progress(
    nlp: Language, texts: List[str], progress: Progress, label: str, batch_size: int, disable: Iterable[str] = ()
) -> List[Doc]:
    docs: List[Doc] = []
    start = time.perf_counter()
    step = max(100, len(texts) // 10)
    with nlp.select_pipes(disable=list(disable)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            docs.append(doc)
            if progress and (len(docs) % step == 0 or len(docs) == len(texts)):
                progress(f"  {label}: {len(docs)}/{len(texts)} texts ({time.perf_counter() - start:.1f}s)")
    return docs


def predict(
    nlp: Language,
    gold: GoldSet,
    *,
    disable: Iterable[str] = (),
    progress: Progress = None,
    label: str = "predict",
    batch_size: int = 64,
) -> List[Output]:
    """End-to-end predictions for every gold text, in gold order, with the gold ids."""
    texts = [o["text"] for o in gold.outputs]
    docs = _pipe_with_progress(nlp, texts, progress, label, batch_size, disable)
    return [doc_to_output(doc, o["id"]) for doc, o in zip(docs, gold.outputs)]


def _gold_spans(doc: Doc, gold: Output) -> Tuple[List[Span], int]:
    """The gold entities on the pipeline's tokens; count those that had to be widened."""
    spans, widened = [], 0
    for ent in gold["entities"]:
        span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
        if span is None:
            span = doc.char_span(ent["start"], ent["end"], label=ent["label"], alignment_mode="expand")
            widened += 1
        if span is None:
            raise ValueError(
                f"document {gold['id']!r}: gold span {gold['text'][ent['start']:ent['end']]!r} "
                f"[{ent['start']}, {ent['end']}) cannot be placed on the pipeline's tokens"
            )
        spans.append(span)
    return spans, widened


def predict_from_gold_entities(
    nlp: Language,
    gold: GoldSet,
    *,
    component: str = ARGUMENT_COMPONENT,
    progress: Progress = None,
    batch_size: int = 64,
) -> Tuple[List[Output], int]:
    """Argument predictions from gold entities and triggers; returns them and the widened-span count.

    The components before the argument component still run (it may need the
    parse, sentences or a shared tok2vec's ``doc.tensor``); components after
    it are skipped. Gold spans that do not fall on the pipeline's token
    boundaries are widened to them and counted, never dropped.
    """
    if component not in nlp.pipe_names:
        raise ValueError(f"the pipeline has no {component!r} component (it has {', '.join(nlp.pipe_names) or 'none'})")
    names = nlp.pipe_names
    later = names[names.index(component):]
    texts = [o["text"] for o in gold.outputs]
    docs = _pipe_with_progress(nlp, texts, progress, "upstream of arguments", batch_size, later)
    widened = 0
    for doc, g in zip(docs, gold.outputs):
        spans, n = _gold_spans(doc, g)
        widened += n
        try:
            doc.ents = spans
        except ValueError as err:
            raise ValueError(f"document {g['id']!r}: gold spans overlap on the pipeline's tokens: {err}") from err
        doc._.event_links = []
    linker = nlp.get_pipe(component)
    docs = list(linker.pipe(docs, batch_size=batch_size)) if hasattr(linker, "pipe") else [linker(d) for d in docs]
    outputs = []
    for doc, g in zip(docs, gold.outputs):
        out = doc_to_output(doc, g["id"])
        outputs.append(out)
    return outputs, widened


def run_pipeline(
    nlp: Language,
    gold: GoldSet,
    name: str,
    description: str,
    covers: Tuple[str, ...] = ("entities", "triggers", "arguments"),
    *,
    disable: Iterable[str] = (),
    gold_input: bool = True,
    progress: Progress = None,
) -> SystemRun:
    """Predict end to end and, if the pipeline has the argument component, from gold entities."""
    start = time.perf_counter()
    if progress:
        progress(f"Predicting with {name}")
    predictions = predict(nlp, gold, disable=disable, progress=progress, label=name)
    run = SystemRun(name, description, tuple(covers), predictions)
    if gold_input and "arguments" in covers and has_argument_component(nlp):
        run.gold_input, widened = predict_from_gold_entities(nlp, gold, progress=progress)
        if widened:
            run.notes.append(f"{widened} gold span(s) widened to the pipeline's token boundaries in the gold-input setting")
    run.seconds = round(time.perf_counter() - start, 2)
    return run
