"""Load a pipeline to run: a folder or an installed package, with the project's components known.

One loader for every command that runs a pipeline (extract, distributed
extract, evaluate, cross-validation), so a path means the same everywhere
and a mistake gives the same message. The project's factories are
registered first: the trained components (``csto_events.pipeline``) and
the baselines' rule components, so a saved rule pipeline loads too.

``prepare_processes`` readies the process for ``n_process > 1`` before the
pipeline is loaded.
"""
import os
from pathlib import Path
from typing import Union

import spacy
from spacy.language import Language

from .. import pipeline as _pipeline  # noqa: F401  (registers factories and Doc extensions)
from ..evaluation import rules as _rules  # noqa: F401  (registers the rule components of the baselines)


def load_pipeline(model: Union[str, Path]) -> Language:
    """A pipeline folder (the csto-events components come from this repository) or an installed package."""
    path = Path(model)
    if path.exists():
        if not (path / "config.cfg").is_file():
            raise OSError(f"{path} is not a spaCy pipeline folder (no config.cfg)")
        return spacy.load(path)
    try:
        return spacy.load(str(model))
    except OSError as err:
        detail = "" if "[E050]" in str(err) else f" ({err})"
        raise OSError(
            f"cannot load pipeline {str(model)!r}: not a folder and not an installed pipeline package{detail}"
        ) from err


def prepare_processes(n_process: int) -> None:
    """Make ``nlp.pipe(n_process > 1)`` safe for torch-based (transformer) pipelines.

    spaCy forks its workers. A forked child deadlocks on torch's intra-op
    thread pool if the parent had started it, and HuggingFace tokenizers warn
    (and may deadlock) for the same reason. With several processes, each
    gets one torch thread, which is also what fills the cores without
    oversubscribing them. Call before loading the pipeline.
    """
    if n_process <= 1:
        return
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)
