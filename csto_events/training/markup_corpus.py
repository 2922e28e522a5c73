"""Hand-labelled texts in the review markup, added to training only.

The fine-tuned NER forgets that companies, clubs and institutions are ORG
(the README's forgetting tables): the security-news corpus has few of them,
and silver data from en_core_web_md (``rehearsal.py``) teaches md's own
mistakes and cuts with them. ``corpus/general-news/`` holds original
general-news sentences labelled by the guidelines (ORG, PERSON, DATE, no
event triggers). They are written in the markup (``corpus/markup.py``) rather
than shipped as doccano JSONL under ``corpus/``, so that the corpus, its
grouped split and every score measured on it stay what they were: the texts
reach only a config that names them through this reader (the default takes
half of them), and never dev, test or a cross-validation fold's held-out
side. A relative ``markup`` path is read from the working directory, as
spaCy reads every path of a config.

The markup is validated exactly as the corpus is (``records_to_docs``: every
problem named by file, line and span, nothing dropped) and cut into the same
one-sentence documents (``splits.sentence_docs``).
"""
import random
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Sequence, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Corpus, Example

from ..corpus.convert import records_to_docs
from ..corpus.markup import read_markup
from ..corpus.records import CorpusError
from ..corpus.splits import sentence_docs


MarkupPaths = Union[Path, Sequence[Path]]


def markup_files(paths: MarkupPaths) -> List[Path]:
    """The markup files of ``paths``: a file itself, or a folder's ``*.md`` in name order.

    A list of paths names a fixed set of files, so that a recipe trained on the
    folder as it once was stays reproducible after the folder grows (the
    robustness row ``general-news-half-113``).
    """
    files: List[Path] = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(path)
        found = sorted(path.glob("*.md")) if path.is_dir() else [path]
        if not found or not all(f.is_file() for f in found):
            raise CorpusError(f"{path}: no markup files (a .md file, or a folder of them, was expected)")
        files.extend(found)
    if not files:
        raise CorpusError("no markup files: an empty list of paths was given")
    return files


def markup_sentences(paths: MarkupPaths) -> List[Doc]:
    """Every sentence of the markup files as a gold Doc, validated like the corpus."""
    docs = records_to_docs(read_markup(f) for f in markup_files(paths))
    return [sentence for doc in docs for sentence in sentence_docs(doc)]


@spacy.registry.readers("csto_events.CorpusWithMarkup.v1")
def create_corpus_with_markup(
    path: Optional[Path],
    markup: Union[Path, List[Path]],
    max_length: int = 0,
    gold_preproc: bool = False,
    limit: int = 0,
    augmenter: Optional[Callable] = None,
    share: float = 1.0,
) -> Callable[[Language], Iterator[Example]]:
    """The gold training corpus (spaCy's ``Corpus``) followed by the hand-labelled markup sentences.

    ``markup``: a markup file or a folder of them (``corpus/general-news``), or a list of such.
    ``share``: the fraction of the markup sentences used, a fixed random
    subset (seed 0, text order kept), so the other beats weigh less beside
    the security corpus; spaCy reads the train corpus once when
    ``max_epochs`` is 0, so a per-epoch draw would be drawn only once anyway.
    The augmenter, if any, applies to both, as spaCy's ``Corpus`` applies it;
    spaCy's training loop shuffles the examples of each epoch, so the two mix.
    """
    if not 0.0 < share <= 1.0:
        raise ValueError(f"share must be in (0, 1], not {share}")
    gold = Corpus(path, max_length=max_length, gold_preproc=gold_preproc, limit=limit, augmenter=augmenter)
    references = markup_sentences(markup)
    if share < 1.0:
        kept = sorted(random.Random(0).sample(range(len(references)), round(share * len(references))))
        references = [references[i] for i in kept]

    def read(nlp: Language) -> Iterator[Example]:
        yield from gold(nlp)
        for reference in references:
            example = Example(nlp.make_doc(reference.text), reference)
            yield from augmenter(nlp, example) if augmenter is not None else [example]

    return read
