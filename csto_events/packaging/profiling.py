"""``csto-events benchmark --profile``: where a trained pipeline spends its time and memory.

The benchmark says how fast the pipeline is against en_core_web_sm; the
profile says why, so that speed work goes where the time is: seconds per
component, the parts of ``event_arguments`` (candidate pairs, feature
strings, pair span means, the rest of its network), the ner's own tok2vec
and the static-vectors lookups, what the vocab and vectors add to resident
memory, and how time grows with the length of one document.

Every measurement runs ``profiling_worker.py`` in a process of its own. With
``compare`` the same worker also runs with an other copy of ``csto_events``
first on ``PYTHONPATH`` (e.g. ``git archive`` of the commit before a change),
alternating the two versions round by round, so both see the same load on a
shared machine and the ratio between them means more than either figure.
The report also says whether both versions wrote the same Output JSON
(entities and ``doc._.events``) for every text.
"""
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from .benchmark import BenchmarkError, BenchmarkTexts, run_json_worker, write_report
from .venv import clean_env

WORKER = Path(__file__).with_name("profiling_worker.py")
THIS_CODE = Path(__file__).resolve().parent.parent.parent
LENGTHS = (1000, 3000, 10000, 30000, 100000)


def run_worker(code: Path, args: Sequence[str], cwd: Path, timeout: float = 3600) -> Dict[str, Any]:
    """The worker with ``code`` (a folder holding a ``csto_events`` package) first on sys.path."""
    env = clean_env()
    env["PYTHONPATH"] = str(code)
    command = [sys.executable, str(WORKER), *map(str, args)]
    result = run_json_worker(command, f"profiling with the code in {code}", cwd, env, timeout)
    expected = Path(code).resolve() / "csto_events"
    if "code" in result and not Path(result["code"]).resolve().is_relative_to(expected):
        raise BenchmarkError(f"the worker ran the code in {result['code']}, not {expected}")
    return result


def profile(
    model: Union[str, Path],
    texts: BenchmarkTexts,
    *,
    compare: Optional[Path] = None,
    rounds: int = 2,
    repeats: int = 3,
    batch_size: int = 8,
    lengths: Sequence[int] = LENGTHS,
    measure_vocab: bool = True,
    progress: bool = True,
) -> Dict[str, Any]:
    """Profile ``model`` with this code (and with the code in ``compare``); returns the report dict."""
    model = Path(model)
    if not (model / "meta.json").is_file():
        raise BenchmarkError(f"{model} is not a trained pipeline folder (no meta.json)")
    versions: List[Tuple[str, Path]] = [("this code", THIS_CODE)]
    if compare is not None:
        if not (Path(compare) / "csto_events" / "pipeline").is_dir():
            raise BenchmarkError(f"{compare} holds no csto_events/pipeline to compare with")
        versions.insert(0, (f"code in {compare}", Path(compare)))
    load_before = os.getloadavg()
    runs: Dict[str, List[Dict[str, Any]]] = {label: [] for label, _ in versions}
    same_output = True
    with tempfile.TemporaryDirectory(prefix="csto-profile-") as tmp:
        work = Path(tmp)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts.texts), encoding="utf-8")
        for round_ in range(rounds):
            for n, (label, code) in enumerate(versions):
                if progress:
                    print(f"profile: round {round_ + 1}/{rounds}, {label} ...", file=sys.stderr, flush=True)
                args = ["--model", model.resolve(), "--texts", texts_file, "--batch-size", batch_size,
                        "--repeats", repeats, "--events", work / f"events-{n}.jsonl"]
                if round_ == rounds - 1 and lengths:
                    args += ["--lengths", ",".join(map(str, lengths))]
                runs[label].append(run_worker(code, args, work))
            outputs = {(work / f"events-{n}.jsonl").read_text(encoding="utf-8") for n in range(len(versions))}
            same_output = same_output and len(outputs) == 1
        vocab = {
            key: run_worker(THIS_CODE, ["--model", model.resolve(), "--texts", texts_file, "--vocab-only", key], work)["rss_added_mb"]
            for key in (("with-vectors", "without-vectors") if measure_vocab else ())
        }
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)]},
        "model": str(model),
        "texts": {"sources": texts.sources, "distinct": texts.distinct, "docs": len(texts.texts), "whitespace_words": texts.words},
        "settings": {"rounds": rounds, "repeats": repeats, "batch_size": batch_size, "n_process": 1},
        "versions": [{"label": label, "code": str(code), "runs": runs[label], "summary": summarise(runs[label])} for label, code in versions],
        "same_output": same_output,
        "vocab_rss_mb": vocab,
    }


def _median(values: List[float]) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def summarise(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Medians over every timed pass of every round; the long documents come from the last round."""
    def medians(key: str) -> Dict[str, float]:
        names = list(runs[0][key])
        return {name: _median([r[key][name] for r in runs if name in r[key]]) for name in names}

    return {
        "wps": _median([wps for r in runs for wps in r["wps_runs"]]),
        "cpu_wps": _median([wps for r in runs for wps in r["cpu_wps_runs"]]),
        "words": runs[0]["words"],
        "component_seconds": medians("component_seconds"),
        "event_arguments_seconds": medians("event_arguments_seconds"),
        "ner_seconds": medians("ner_seconds"),
        "rss_mb": runs[-1]["rss_mb"],
        "memory": runs[-1]["memory"],
        "load_seconds": _median([r["load_seconds"] for r in runs]),
        "long_documents": runs[-1]["long_documents"],
    }


def _cells(values, fmt: str = ".0f") -> str:
    return " | ".join(format(v, fmt) for v in values)


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def markdown(report: Dict[str, Any]) -> str:
    versions = report["versions"]
    summaries = [v["summary"] for v in versions]
    labels = [v["label"] for v in versions]
    now = summaries[-1]
    texts, settings = report["texts"], report["settings"]
    lines = [
        "# Profile: where the time and memory of the trained pipeline go (CPU, one process)",
        "",
        f"{report['date']}, {report['machine']['cpus']} CPUs shared with other work; 1-minute load average "
        f"{report['machine']['load_average_1min'][0]} before, {report['machine']['load_average_1min'][1]} after. "
        f"Pipeline `{report['model']}`; {texts['docs']} texts ({texts['distinct']} distinct, repeated), "
        f"{now['words']} spaCy tokens; batch size {settings['batch_size']}, one process. Seconds are CPU seconds of the "
        "measuring process, which other work on the machine inflates much less than wall time. Every figure is the median of "
        f"{settings['rounds'] * settings['repeats']} passes ({settings['rounds']} rounds x {settings['repeats']}, "
        + ("the versions alternating round by round, each in a process of its own)." if len(versions) > 1 else "in a process of its own).")
    ]
    if len(versions) > 1:
        lines += [
            "",
            "## Before and after, same run",
            "",
            f"| | {' | '.join(labels)} | speed-up |",
            f"|---|{'---|' * len(labels)}---|",
            f"| words per CPU second, nlp.pipe | {_cells(s['cpu_wps'] for s in summaries)} | {summaries[-1]['cpu_wps'] / summaries[0]['cpu_wps']:.2f}x |",
            f"| words/s (wall clock), nlp.pipe | {_cells(s['wps'] for s in summaries)} | {summaries[-1]['wps'] / summaries[0]['wps']:.2f}x |",
        ]
        for name in summaries[-1]["component_seconds"]:
            if name == "event_arguments" or name == "ner":
                values = [s["component_seconds"].get(name, 0.0) for s in summaries]
                ratio = f"{values[0] / values[-1]:.2f}x" if values[-1] > 0 else "–"
                lines.append(f"| {name}, CPU s | {' | '.join(f'{v:.3f}' for v in values)} | {ratio} |")
        for name in summaries[-1]["event_arguments_seconds"]:
            values = [s["event_arguments_seconds"].get(name, 0.0) for s in summaries]
            ratio = f"{values[0] / values[-1]:.2f}x" if values[-1] > 0 else "–"
            lines.append(f"| event_arguments: {name}, CPU s | {' | '.join(f'{v:.3f}' for v in values)} | {ratio} |")
        lines += ["", "Speed-up: the last version against the first (words/s after / before; seconds before / after).", "", f"Same Output JSON (entities and `doc._.events`) for every text: **{'yes' if report['same_output'] else 'NO'}**."]
    total = sum(now["component_seconds"].values())
    lines += [
        "",
        "## Per component (this code)",
        "",
        "Each component runs over all texts before the next one starts (the work of `nlp.pipe`, stage by stage).",
        "",
        "| component | CPU seconds | share |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {seconds:.3f} | {_share(seconds, total)} |" for name, seconds in now["component_seconds"].items()]
    lines += [f"| total | {total:.3f} | 100% |", "", "| inside | CPU seconds | share of the pipeline |", "|---|---|---|"]
    for name, seconds in now["event_arguments_seconds"].items():
        lines.append(f"| event_arguments: {name} | {seconds:.3f} | {_share(seconds, total)} |")
    for name, seconds in now["ner_seconds"].items():
        lines.append(f"| {name} | {seconds:.3f} | {_share(seconds, total)} |")
    memory, rss = now["memory"], now["rss_mb"]
    vocab = report["vocab_rss_mb"]
    lines += [
        "",
        "## Memory (this code)",
        "",
        f"Resident memory: {rss['base']:.0f} MB after importing spaCy and its plugins (torch among them), "
        f"{rss['loaded']:.0f} MB with the pipeline loaded (+{rss['loaded'] - rss['base']:.0f} MB), peak {rss['peak']:.0f} MB.",
    ]
    if vocab:
        lines.append(
            f"Loading the vocab alone adds {vocab['with-vectors']:.0f} MB, {vocab['without-vectors']:.0f} MB without the vectors: "
            f"the static vectors ({memory['vectors_shape'][0]} rows x {memory['vectors_shape'][1]}, {memory['vectors_keys']} keys) cost "
            f"{vocab['with-vectors'] - vocab['without-vectors']:.0f} MB, of which the table is {memory['vectors_table_mb']:.0f} MB and the rest "
            f"the key-to-row map; the string store ({memory['strings']} strings) is most of the other {vocab['without-vectors']:.0f} MB."
        )
    lines += [
        "",
        "| component | parameters MB |",
        "|---|---|",
    ]
    lines += [f"| {name} | {mb:.1f} |" for name, mb in memory["parameters_mb"].items()]
    if "ner_tok2vec_parameters_mb" in memory:
        lines.append(f"| (ner's own tok2vec, inside ner) | {memory['ner_tok2vec_parameters_mb']:.1f} |")
    if now["long_documents"]:
        lines += [
            "",
            "## Long documents",
            "",
            "One document per row, made of corpus texts joined by blank lines and cut to the length; "
            "CPU seconds of every component, fastest of 2 runs. Constant chars/s means time grows linearly with length.",
            "",
            f"| characters | tokens | sentences | candidate pairs | {' | '.join(f's ({l})' for l in labels)} | {' | '.join(f'chars/s ({l})' for l in labels)} | {' | '.join(f'event_arguments s ({l})' for l in labels)} |",
            f"|---|---|---|---|{'---|' * (3 * len(labels))}",
        ]
        for rows in zip(*(s["long_documents"] for s in summaries)):
            last = rows[-1]
            lines.append(
                f"| {last['chars']} | {last['tokens']} | {last['sentences']} | {last['pairs']} | "
                f"{_cells((r['seconds'] for r in rows), '.3f')} | {_cells(r['chars_per_second'] for r in rows)} | "
                f"{_cells((r['components'].get('event_arguments', 0.0) for r in rows), '.3f')} |"
            )
    return "\n".join(lines) + "\n"


def write_profile(report: Dict[str, Any], output_dir: Union[str, Path]) -> Tuple[Path, Path]:
    """``profile.json`` and ``profile.md`` in ``output_dir``."""
    return write_report(report, output_dir, name="profile", render=markdown)
