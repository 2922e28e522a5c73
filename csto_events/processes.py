"""Ready a process for ``nlp.pipe(n_process > 1)``; standard library only.

Standard library only, because the benchmark worker (``packaging/bench_worker.py``)
runs in the fresh environment of an installed wheel, where ``csto_events`` is
not importable: it loads this file by its path instead, so both follow one rule.
"""
import os


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
