"""Load a pipeline to run: a folder or an installed package, with the project's components known.

One loader for every command that runs a pipeline (extract, distributed
extract, evaluate, cross-validation), so a path means the same everywhere
and a mistake gives the same message. The project's factories are
registered first: the trained components (``csto_events.pipeline``) and
the baselines' rule components, so a saved rule pipeline loads too.

``prepare_processes`` (``csto_events/processes.py``) readies the process
for ``n_process > 1`` before the pipeline is loaded.
"""
from pathlib import Path
from typing import Union

import spacy
from spacy.language import Language

from .. import pipeline as _pipeline  # noqa: F401  (registers factories and Doc extensions)
from ..evaluation import rules as _rules  # noqa: F401  (registers the rule components of the baselines)
from ..processes import prepare_processes  # noqa: F401  (re-exported: callers load and prepare from one place)


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
