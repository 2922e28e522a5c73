"""Pseudo-rehearsal: keep what the pretrained NER knew while fine-tuning it.

Fine-tuning en_core_web_md's NER on a few hundred security-news sentences
overwrites part of what it knew about other beats: companies and clubs come
out as PERSON (the README's forgetting table). Two ways are offered, both on
general-news lines that are never the forgetting checks' own texts:

- As data (``csto_events.RehearsalCorpus.v1``): the lines annotated by the
  pretrained pipeline's own NER ("silver") are mixed into every training
  epoch beside the gold sentences, so each update also pulls the NER back
  towards its old answers on text of other beats.
- As spaCy's own ``rehearse`` (``csto_events.rehearse_before_update.v1``), run
  from ``spacy train``'s ``before_update`` hook: before each update the NER is
  pulled towards the scores of its pretrained copy on a batch of the lines.
  Silver data teaches the copy's final answers under the scheme's cuts;
  rehearsal teaches its score for every transition, so it also keeps how
  sure the copy was, and it needs no choice of labels.

Silver spans are cut to the label scheme the way the guidelines cut gold
ones: only ORG, PERSON and DATE are kept, and edges the scheme excludes (a
leading determiner, a trailing possessive, punctuation) are dropped by the
same function the pipeline's NER rules use (``pipeline/ner_rules.py``). Tokens that could be an event trigger
(``meeting``, ``team``, ``mission`` ...) are left unannotated ("-") rather
than "O": the pretrained NER knows nothing of triggers, so silver data must
neither teach them nor forbid them. Silver examples carry no event links, so
``event_arguments`` learns nothing from them. The silver set is built once,
the first time the reader is called, and is the same for every epoch.
"""
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Corpus, Example, offsets_to_biluo_tags
from thinc.api import Optimizer
from wasabi import msg

from ..errors import CstoEventsError
from ..pipeline.ner_rules import trim_to_scheme

KEPT_LABELS = ("ORG", "PERSON", "DATE")
# Words that name a mission or meeting in some sense: left unknown in silver data.
TRIGGER_WORDS = {
    "meeting", "meetings", "met", "meet", "session", "sessions", "summit", "summits", "talks", "negotiations",
    "visit", "visits", "visited", "conference", "conferences", "briefing", "briefings", "congress", "gathering",
    "mission", "missions", "team", "teams", "group", "groups", "delegation", "delegations", "force", "forces",
    "expedition", "expeditions", "consultations", "forum", "assembly",
}


class RehearsalError(CstoEventsError):
    """The rehearsal texts cannot be read or annotated."""


def read_lines(path: Union[str, Path]) -> List[str]:
    """Non-empty lines of a UTF-8 text file, one sentence (or two) each."""
    path = Path(path)
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as err:
        raise RehearsalError(f"{path}: cannot read the rehearsal texts: {err}") from err
    lines = [line for line in lines if line]
    if not lines:
        raise RehearsalError(f"{path}: no rehearsal texts (the file has no non-empty line)")
    return lines


def silver_example(
    nlp: Language, annotated: Doc, labels: Sequence[str] = KEPT_LABELS, unknown_labels: Sequence[str] = ()
) -> Example:
    """One training example from a doc the pretrained pipeline annotated.

    ``labels``: the pretrained NER's labels taught as silver; ``unknown_labels``:
    labels whose spans are left unannotated ("-"), for a label whose convention
    differs from the guidelines (en_core_web_md cuts "Saturday evening" into a
    DATE and a TIME, the guidelines make it one DATE), so that silver data
    neither teaches md's boundary nor marks the words as outside any entity.
    """
    predicted = nlp.make_doc(annotated.text)
    spans, unknown = [], []
    for ent in annotated.ents:
        if ent.label_ in unknown_labels:
            unknown.append((ent.start_char, ent.end_char))
        if ent.label_ not in labels:
            continue
        trimmed = trim_to_scheme(annotated, ent.start, ent.end, ent.label_)
        if trimmed:
            spans.append((annotated[trimmed[0]].idx, annotated[trimmed[1] - 1].idx + len(annotated[trimmed[1] - 1]), ent.label_))
    tags = offsets_to_biluo_tags(predicted, spans)
    tags = [
        "-" if tag == "O" and (token.lower_ in TRIGGER_WORDS or any(s <= token.idx < e for s, e in unknown)) else tag
        for tag, token in zip(tags, predicted)
    ]
    return Example.from_dict(predicted, {"entities": tags})


def silver_examples(
    nlp: Language, texts: Sequence[str], annotator: Language, labels: Sequence[str] = KEPT_LABELS,
    unknown_labels: Sequence[str] = (),
) -> List[Example]:
    return [silver_example(nlp, doc, labels, unknown_labels) for doc in annotator.pipe(texts, batch_size=64)]


@spacy.registry.readers("csto_events.RehearsalCorpus.v1")
def create_rehearsal_corpus(
    path: Optional[Path],
    texts: Path,
    annotator: Path,
    max_length: int = 0,
    gold_preproc: bool = False,
    limit: int = 0,
    augmenter: Optional[Callable] = None,
    labels: Sequence[str] = KEPT_LABELS,
    unknown_labels: Sequence[str] = (),
) -> Callable[[Language], Iterator[Example]]:
    """The gold training corpus (spaCy's ``Corpus``, augmenter included) followed by silver rehearsal examples.

    ``texts``: general-news lines, never the forgetting check's own texts;
    ``annotator``: the pretrained pipeline whose NER is rehearsed (``${paths.md}``);
    ``labels`` and ``unknown_labels``: see :func:`silver_example`.
    spaCy's training loop shuffles the examples of each epoch, so the two mix.
    """
    gold = Corpus(path, max_length=max_length, gold_preproc=gold_preproc, limit=limit, augmenter=augmenter)
    lines = read_lines(texts)
    cache: List[Example] = []

    def read(nlp: Language) -> Iterator[Example]:
        yield from gold(nlp)
        if not cache:
            pretrained = spacy.load(annotator, disable=["lemmatizer"])
            cache.extend(silver_examples(nlp, lines, pretrained, labels, unknown_labels))
        yield from cache

    return read


@spacy.registry.callbacks("csto_events.rehearse_before_update.v1")
def make_rehearse_before_update(
    texts: Path,
    optimizer: Optimizer,
    components: Sequence[str] = ("ner",),
    batch_size: int = 16,
    every: int = 1,
    report_every: int = 100,
    skip_trigger_words: bool = True,
) -> Callable[[Language, Dict[str, Any]], None]:
    """A ``[training] before_update`` callback: a rehearsal update of ``components`` every ``every`` steps.

    ``texts``: general-news lines, taken ``batch_size`` at a time in file order,
    round and round, so a fixed seed repeats the run; with
    ``skip_trigger_words``, lines with a word that could be an event trigger
    are left out, for the reason silver data leaves those words unknown: the
    pretrained copy is sure they are outside any entity, the scheme makes many
    of them a MEETING or MISSION. ``optimizer``: the rehearsal updates' own;
    spaCy does not hand the training loop's optimizer to the callback. Adam
    scales every update to its learning rate, so that rate, against the
    training optimizer's, is how strongly the NER is held to its copy.

    spaCy's ``resume_training``, which ``spacy train`` runs for a sourced
    component that is not frozen, keeps the pretrained copy; a component
    without one is refused at the first step rather than rehearsing nothing.
    The mean rehearsal loss is printed every ``report_every`` steps.
    """
    if batch_size < 1 or every < 1:
        raise RehearsalError(f"rehearsal needs batch_size >= 1 and every >= 1, not {batch_size} and {every}")
    lines = read_lines(texts)
    if skip_trigger_words:
        lines = [line for line in lines if not set(re.findall(r"[a-z]+", line.lower())) & TRIGGER_WORDS]
        if not lines:
            raise RehearsalError(f"{texts}: every rehearsal line has a trigger word (skip_trigger_words = true)")
    losses: Dict[str, float] = {}
    updates = 0

    def rehearse(nlp: Language, args: Dict[str, Any]) -> None:
        nonlocal updates
        step = args["step"]
        if step % every:
            return
        if step == 0:
            for name in components:
                if name not in nlp.pipe_names:
                    raise RehearsalError(f"rehearsal: no component {name!r} in the pipeline {nlp.pipe_names}")
                if getattr(nlp.get_pipe(name), "_rehearsal_model", None) is None:
                    raise RehearsalError(
                        f"rehearsal: {name!r} has no pretrained copy to rehearse against; it must be sourced "
                        "from a trained pipeline and left out of [training] frozen_components"
                    )
        start = (updates * batch_size) % len(lines)
        batch = [lines[(start + i) % len(lines)] for i in range(batch_size)]
        examples = [Example(doc, doc) for doc in (nlp.make_doc(text) for text in batch)]
        for name in components:
            nlp.get_pipe(name).rehearse(examples, sgd=optimizer, losses=losses)
        updates += 1
        if updates % report_every == 0:
            mean = ", ".join(f"{name} {losses.get(name, 0.0) / report_every:.4f}" for name in components)
            msg.text(f"rehearsal at step {step}: mean loss over the last {report_every} updates: {mean}")
            losses.clear()

    return rehearse
