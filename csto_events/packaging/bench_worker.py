"""One benchmark measurement in its own process: load a pipeline, time nlp.pipe, report memory.

Run as a script by path (``python bench_worker.py ...``), never imported from
``csto_events``: it must work in the fresh environment of an installed wheel,
where only spaCy and the wheel exist. It prints one JSON object on stdout.

Peak memory is the process's maximum resident set size (``ru_maxrss``), so
each pipeline is measured in its own process; the base is the same after
importing spaCy and making a blank pipeline, before loading this one. With ``n_process > 1`` spaCy
forks workers; their peak is reported separately (the largest worker's, from
``RUSAGE_CHILDREN``), as a worker starts as a copy of the loaded parent.
"""
import argparse
import importlib
import importlib.util
import json
import resource
import statistics
import sys
import time
from pathlib import Path


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _load_processes_module():
    """``csto_events/processes.py`` by its path: this script cannot import the package, but ships beside it."""
    path = Path(__file__).resolve().parent.parent / "processes.py"
    spec = importlib.util.spec_from_file_location("csto_events_processes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prepare_processes = _load_processes_module().prepare_processes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--texts", required=True, help="JSON list of strings")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20, help="texts run once before timing")
    parser.add_argument("--import", dest="imports", action="append", default=[], help="module registering custom code")
    args = parser.parse_args()

    with open(args.texts, encoding="utf-8") as file:
        texts = json.load(file)
    prepare_processes(args.n_process)
    import spacy

    for module in args.imports:
        importlib.import_module(module)
    spacy.blank("en")  # imports every registered plugin (entry points), as any spacy.load does
    base_rss = rss_mb(resource.RUSAGE_SELF)
    start = time.perf_counter()
    nlp = spacy.load(args.model)
    load_seconds = time.perf_counter() - start
    for _ in nlp.pipe(texts[: args.warmup], batch_size=args.batch_size):
        pass
    runs = []
    for _ in range(args.repeats):
        words = docs = 0
        start, start_cpu = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
            words += len(doc)
            docs += 1
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        run = {"seconds": seconds, "words": words, "docs": docs, "wps": words / seconds}
        if args.n_process == 1:
            # CPU time of the one process: what other work on a shared machine inflates least.
            run.update({"cpu_seconds": cpu_seconds, "cpu_wps": words / cpu_seconds})
        runs.append(run)
    if any(r["docs"] != len(texts) for r in runs):
        raise SystemExit(f"the pipeline returned {runs[0]['docs']} docs for {len(texts)} texts")
    json.dump(
        {
            "model": args.model,
            "package": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
            "version": nlp.meta.get("version"),
            "components": nlp.pipe_names,
            "spacy": spacy.__version__,
            "python": sys.executable,
            "n_process": args.n_process,
            "batch_size": args.batch_size,
            "load_seconds": load_seconds,
            "runs": runs,
            "wps": statistics.median(r["wps"] for r in runs),
            "cpu_wps": statistics.median(r["cpu_wps"] for r in runs) if args.n_process == 1 else None,
            "words": runs[0]["words"],
            "base_rss_mb": base_rss,
            "peak_rss_mb": rss_mb(resource.RUSAGE_SELF),
            "peak_worker_rss_mb": rss_mb(resource.RUSAGE_CHILDREN) if args.n_process > 1 else None,
            "torch_threads": sys.modules["torch"].get_num_threads() if "torch" in sys.modules else None,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
