"""``csto-events distributed-benchmark``: documents per second, one process vs ``n_process`` vs a LocalCluster.

Same documents, same run, same machine: the texts are written once as one
JSONL file (for ``extract``) and as shards of it (for the cluster). Every
setting does the whole job, reading JSONL and writing Output JSONL, and
each is timed ``repeats`` times after a warm-up pass; the median counts.
Loading is kept out of the timings and reported apart: the single process
loads its pipeline once before the passes, the cluster's warm-up pass loads
one per worker. ``nlp.pipe(n_process=2)`` starts its processes on every
call, which is part of what that setting costs, so it stays in. Every
setting's output is compared with the one-process output, byte for byte.
"""
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..extract.extract import DEFAULT_BATCH_SIZE, extract_to_files
from ..extract.loading import load_pipeline, prepare_processes
from ..progress import Progress, counted
from ..tables import markdown_table
from .cluster import dask_client
from .run import distributed_extract, resolve_model

REPORT_NAME = "distributed-benchmark"


def read_benchmark_texts(sources: Sequence[Union[str, Path]]) -> List[str]:
    """Texts of corpus JSONL files (or folders of them) and markup ``.md`` files, in order."""
    from ..corpus.markup import read_markup
    from ..corpus.records import read_corpus

    texts: List[str] = []
    for source in map(Path, sources):
        if source.suffix == ".md":
            texts.append(read_markup(source).text)
        else:
            texts.extend(record.text for record in read_corpus([source]))
    return [t for t in texts if t.strip()]


def repeat_to(texts: Sequence[str], n_docs: int) -> List[str]:
    if not texts:
        raise ValueError("no texts to benchmark with")
    return [texts[i % len(texts)] for i in range(n_docs)]


def write_inputs(texts: Sequence[str], work: Path, n_shards: int) -> Tuple[Path, Path]:
    """``work/all.jsonl`` and the same lines in ``n_shards`` contiguous shards under ``work/shards/``."""
    rows = [json.dumps({"id": f"doc-{i:06d}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)]
    single = work / "all.jsonl"
    single.write_text("".join(rows), encoding="utf-8")
    folder = work / "shards"
    folder.mkdir()
    n_shards = max(1, min(n_shards, len(rows)))
    size = -(-len(rows) // n_shards)
    for i in range(n_shards):
        (folder / f"part-{i:04d}.jsonl").write_text("".join(rows[i * size : (i + 1) * size]), encoding="utf-8")
    return single, folder


def _row(mode: str, label: str, parallel: int, times: List[float], docs: int, words: int, same: bool, load: float) -> Dict[str, Any]:
    median = statistics.median(times)
    return {
        "mode": mode,
        "setting": label,
        "processes": parallel,
        "docs": docs,
        "words": words,
        "seconds": [round(t, 3) for t in times],
        "median_seconds": round(median, 3),
        "docs_per_second": docs / median if median > 0 else 0.0,
        "words_per_second": words / median if median > 0 else 0.0,
        "load_seconds": round(load, 2),
        "same_output_as_one_process": same,
    }


def distributed_benchmark(
    model: Union[str, Path],
    texts: Sequence[str],
    *,
    workers: int = 2,
    n_process: Sequence[int] = (1, 2),
    shards: int = 8,
    batch_size: int = DEFAULT_BATCH_SIZE,
    repeats: int = 3,
    progress: Optional[Progress] = None,
) -> Dict[str, Any]:
    """Measure ``extract`` at each ``n_process`` and a ``workers``-worker LocalCluster on ``texts``."""
    model_name = resolve_model(model)
    load_before = os.getloadavg()[0]

    def say(message: str) -> None:
        if progress is not None:
            progress(f"distributed-benchmark: {message}")

    results: List[Dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="csto-distributed-benchmark-") as tmp:
        work = Path(tmp)
        single, shard_dir = write_inputs(texts, work, shards)
        reference: Optional[bytes] = None
        start = time.perf_counter()
        nlp = load_pipeline(model_name)
        load = time.perf_counter() - start
        components = list(nlp.pipe_names)
        for n in n_process:
            prepare_processes(n)
            times, words, same, reference = _time_extract(nlp, single, work, n, repeats, batch_size, reference, progress)
            results.append(_row("extract", f"extract, n_process={n}", n, times, len(texts), words, same, load))
        del nlp

        say(f"starting a LocalCluster with {workers} worker process(es)")
        times, words, same, load = _time_cluster(model_name, shard_dir, work, workers, repeats, batch_size, reference, progress)
        results.append(_row("dask", f"LocalCluster, {workers} workers x 1 thread, {shards} shards", workers, times, len(texts), words, same, load))

    base = results[0]["docs_per_second"]
    for row in results:
        row["vs_one_process"] = row["docs_per_second"] / base if base else None
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            # Other work on the machine slows every setting; the 1-minute load average says how much there was.
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
        "model": model_name,
        "components": components,
        "texts": {"docs": len(texts), "distinct": len(set(texts)), "characters": sum(map(len, texts))},
        "settings": {"batch_size": batch_size, "repeats": repeats, "shards": shards, "workers": workers, "n_process": list(n_process)},
        "results": results,
    }


def _time_extract(
    nlp, path: Path, work: Path, n: int, repeats: int, batch_size: int, reference: Optional[bytes], progress: Optional[Progress],
) -> Tuple[List[float], int, bool, bytes]:
    """A warm-up and ``repeats`` timed passes of ``extract`` at ``n_process=n``.

    Returns the timed passes' seconds, the words, whether every pass wrote
    ``reference`` (the first pass of the run becomes it), and the reference.
    """
    times, words, same = [], 0, True
    for attempt in counted(range(repeats + 1), repeats + 1, f"extract n_process={n} (warm-up + {repeats})", progress):
        out = work / f"extract-{n}-{attempt}.jsonl"
        start = time.perf_counter()
        report = extract_to_files(nlp, path, out, batch_size=batch_size, n_process=n)
        elapsed = time.perf_counter() - start
        data = out.read_bytes()
        reference = data if reference is None else reference
        same = same and data == reference
        words = report.words
        if attempt:
            times.append(elapsed)
    return times, words, same, reference


def _time_cluster(
    model_name: str, shard_dir: Path, work: Path, workers: int, repeats: int, batch_size: int,
    reference: Optional[bytes], progress: Optional[Progress],
) -> Tuple[List[float], int, bool, float]:
    """A LocalCluster of ``workers``: a warm-up and ``repeats`` timed passes of ``distributed_extract``.

    Returns the timed passes' seconds, the words, whether every pass wrote
    ``reference``, and the load time: start-up plus the warm-up pass, which
    loads one pipeline per worker.
    """
    start = time.perf_counter()
    with dask_client(None, workers) as client:
        address = client.scheduler.address
        startup = time.perf_counter() - start
        times, words, same, warm_up = [], 0, True, 0.0
        for attempt in counted(range(repeats + 1), repeats + 1, f"LocalCluster, {workers} workers (warm-up + {repeats})", progress):
            out = work / f"cluster-{attempt}"
            start = time.perf_counter()
            manifest = distributed_extract(model_name, [shard_dir], out, scheduler=address, batch_size=batch_size)
            elapsed = time.perf_counter() - start
            data = b"".join(out.joinpath(row["output"]).read_bytes() for row in manifest["shards"])
            same = same and data == reference
            words = manifest["totals"]["words"]
            if attempt:
                times.append(elapsed)
            else:
                warm_up = elapsed
    return times, words, same, startup + warm_up


def markdown(report: Dict[str, Any]) -> str:
    machine, texts, settings = report["machine"], report["texts"], report["settings"]
    lines = [
        "# Distributed benchmark: documents per second (CPU)",
        "",
        f"{report['date']}, {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}; "
        f"1-minute load average {machine['load_average_1min'][0]} before, {machine['load_average_1min'][1]} after.",
        f"Pipeline `{report['model']}` ({', '.join(report['components'])}); {texts['docs']} documents "
        f"({texts['distinct']} distinct, {texts['characters']} characters); batch size {settings['batch_size']}; "
        f"median of {settings['repeats']} timed passes after a warm-up. Every pass reads JSONL and writes Output JSONL; "
        "loading is not timed (for the cluster: start-up plus the warm-up pass, which loads one pipeline per worker).",
        "",
    ]
    rows = [
        [r["setting"], r["processes"], r["docs"], f"{r['median_seconds']:.2f}", f"{r['docs_per_second']:.1f}",
         f"{r['words_per_second']:.0f}", f"{r['vs_one_process']:.2f}x" if r.get("vs_one_process") else "–",
         "yes" if r["same_output_as_one_process"] else "NO", f"{r['load_seconds']:.1f}"]
        for r in report["results"]
    ]
    header = ["setting", "processes", "docs", "median s", "docs/s", "words/s", "vs 1 process", "same output", "load s"]
    lines.append(markdown_table(header, rows))
    return "\n".join(lines) + "\n"


def write_report(report: Dict[str, Any], output_dir: Union[str, Path]) -> Tuple[Path, Path]:
    from ..packaging.benchmark import write_report as write_files

    return write_files(report, output_dir, name=REPORT_NAME, render=markdown)


def default_sources() -> List[Path]:
    from ..packaging.benchmark import default_text_sources

    return default_text_sources()


