"""One loaded pipeline per worker process, reused by every shard that runs there.

Loading a pipeline takes seconds (en_core_web_md's vectors, a transformer's
weights) and hundreds of MB, so it is done once per worker process, not per
shard and never per document. The pipelines live in this module, which
stays imported in the worker between tasks; a task borrows one and gives it
back. A worker with several threads runs several shards at once, and a
spaCy pipeline is not meant to be shared between threads, so a busy
pipeline is never lent twice: a second concurrent task loads a second copy
(start workers with one thread each, ``--nthreads 1``, to load one).
"""
import os
import sys
import threading
from contextlib import contextmanager
from typing import Dict, Iterator, List

from spacy.language import Language

from ..extract.loading import load_pipeline

_lock = threading.Lock()
_idle: Dict[str, List[Language]] = {}
_loads: Dict[str, int] = {}


def _one_thread_per_task() -> None:
    """Dask runs one task per worker thread, so torch gets one thread each, as with ``nlp.pipe(n_process=...)``."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    torch = sys.modules.get("torch")  # imported by spacy-transformers if it is installed; never imported here
    if torch is not None:
        torch.set_num_threads(1)


@contextmanager
def borrow_pipeline(model: str) -> Iterator[Language]:
    """A pipeline for ``model`` that no other task in this process is using."""
    with _lock:
        idle = _idle.setdefault(model, [])
        nlp = idle.pop() if idle else None
    if nlp is None:
        nlp = load_pipeline(model)
        _one_thread_per_task()
        with _lock:
            _loads[model] = _loads.get(model, 0) + 1
    try:
        yield nlp
    finally:
        with _lock:
            _idle[model].append(nlp)


def load_counts() -> Dict[str, int]:
    """How many times this process loaded each model (run it on the workers with ``client.run``)."""
    with _lock:
        return dict(_loads)
