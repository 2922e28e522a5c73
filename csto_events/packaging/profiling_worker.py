"""One profile measurement in its own process: where a trained pipeline spends its time and memory.

Run as a script by path (``python profiling_worker.py ...``) with the code to
measure first on ``PYTHONPATH``: that is how ``profiling.py`` runs two copies of
``csto_events`` (before and after a change) on the same texts in the same run.
So it imports from ``csto_events`` only what every version has
(``csto_events.pipeline``, ``candidate_pairs``, ``doc_to_output``), and finds
the layers it times by the names the architectures give them. It prints one
JSON object on stdout.

Timings are CPU seconds of this process (``time.process_time``), not wall
time: on a machine shared with other work the wall clock also counts the
time other processes held the CPU, CPU time much less so. Words per second
of ``nlp.pipe`` are given both ways. Every figure is the median of
``--repeats`` passes.
"""
import argparse
import hashlib
import json
import resource
import statistics
import sys
import time
from typing import Any, Callable, Dict, List


def rss_mb() -> float:
    """The current resident set size (not the peak), from /proc."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


clock = time.process_time


def timed(function: Callable[[], Any]) -> float:
    start = clock()
    function()
    return clock() - start


def batches(items: List[Any], size: int) -> List[List[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_stages(nlp, texts: List[str], batch_size: int) -> Dict[str, Any]:
    """Every component over all texts, one component after the other (the work of nlp.pipe, by stage)."""
    seconds: Dict[str, float] = {}
    start = clock()
    docs = [nlp.make_doc(text) for text in texts]
    seconds["tokenizer"] = clock() - start
    for name, proc in nlp.pipeline:
        start = clock()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        seconds[name] = clock() - start
    return {"seconds": seconds, "docs": docs}


def find_layer(model, name: str):
    return next((node for node in model.walk() if node.name == name), None)


def event_argument_parts(nlp, docs, batch_size: int) -> Dict[str, float]:
    """Inside event_arguments, on docs the pipeline made (predicting again overwrites the same links)."""
    from csto_events.pipeline.candidates import candidate_pairs

    component = nlp.get_pipe("event_arguments")
    model = component.model
    features, spans = find_layer(model, "pair_feature_ids"), find_layer(model, "pair_span_vectors")
    parts = {"candidate pairs": 0.0, "feature strings and hashing": 0.0, "pair span means": 0.0, "whole network": 0.0, "set_annotations": 0.0}
    for batch in batches(docs, batch_size):
        start = clock()
        inputs = [(doc, candidate_pairs(doc)) for doc in batch]
        parts["candidate pairs"] += clock() - start
        if not any(pairs for _, pairs in inputs):
            continue
        parts["feature strings and hashing"] += timed(lambda: features.predict(inputs))
        parts["pair span means"] += timed(lambda: spans.predict(inputs))
        start = clock()
        scores = model.predict(inputs)
        parts["whole network"] += clock() - start
        parts["set_annotations"] += timed(lambda: component.set_annotations(batch, (inputs, scores)))
    parts["rest of the network (hash embedding, maxout, softmax)"] = (
        parts["whole network"] - parts["feature strings and hashing"] - parts["pair span means"]
    )
    return parts


def ner_parts(nlp, docs, batch_size: int) -> Dict[str, float]:
    """The ner's own tok2vec (and the static-vectors lookup inside it) and the md tok2vec's lookup."""
    parts: Dict[str, float] = {}
    if "ner" in nlp.pipe_names:
        ner_tok2vec = nlp.get_pipe("ner").model.get_ref("tok2vec")
        parts["ner: its own tok2vec"] = sum(timed(lambda: ner_tok2vec.predict(b)) for b in batches(docs, batch_size))
        vectors = find_layer(ner_tok2vec, "static_vectors")
        if vectors is not None:
            parts["ner: static vectors inside it"] = sum(timed(lambda: vectors.predict(b)) for b in batches(docs, batch_size))
    if "tok2vec" in nlp.pipe_names:
        vectors = find_layer(nlp.get_pipe("tok2vec").model, "static_vectors")
        if vectors is not None:
            parts["tok2vec: static vectors inside it"] = sum(timed(lambda: vectors.predict(b)) for b in batches(docs, batch_size))
    return parts


def parameter_mb(model) -> float:
    return sum(node.get_param(name).nbytes for node in model.walk() for name in node.param_names if node.has_param(name)) / 2**20


def memory(nlp) -> Dict[str, Any]:
    vectors = nlp.vocab.vectors
    components = {}
    for name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if hasattr(model, "walk"):
            components[name] = round(parameter_mb(model), 2)
    result = {
        "vectors_shape": list(vectors.shape),
        "vectors_keys": int(vectors.n_keys),
        "vectors_table_mb": round(vectors.data.nbytes / 2**20, 2),
        "strings": len(nlp.vocab.strings),
        "parameters_mb": components,
    }
    if "ner" in nlp.pipe_names:
        result["ner_tok2vec_parameters_mb"] = round(parameter_mb(nlp.get_pipe("ner").model.get_ref("tok2vec")), 2)
    return result


def long_documents(nlp, texts: List[str], sizes: List[int], repeats: int) -> List[Dict[str, Any]]:
    """One document per size, made of whole corpus texts joined by blank lines; fastest of ``repeats`` runs."""
    from csto_events.pipeline.candidates import candidate_pairs

    rows = []
    for size in sizes:
        parts: List[str] = []
        while sum(len(p) + 2 for p in parts) < size:
            parts.append(texts[len(parts) % len(texts)])
        text = "\n\n".join(parts)[:size]
        best: Dict[str, float] = {}
        doc = None
        for _ in range(repeats):
            stages = run_stages(nlp, [text], batch_size=1)
            doc = stages["docs"][0]
            for name, seconds in stages["seconds"].items():
                best[name] = min(best.get(name, seconds), seconds)
        total = sum(best.values())
        rows.append({
            "chars": len(text), "tokens": len(doc), "sentences": sum(1 for _ in doc.sents),
            "pairs": len(candidate_pairs(doc)), "links": len(doc._.event_links),
            "seconds": total, "chars_per_second": len(text) / total, "components": best,
        })
    return rows


def vocab_rss(model: str, vectors: bool) -> None:
    """Resident memory the pipeline's vocab adds (strings, lexemes, and the vectors unless excluded)."""
    from pathlib import Path

    from spacy.util import load_config, registry
    from spacy.vocab import Vocab

    import csto_events.pipeline  # noqa: F401  (registers the project's vectors formats)

    # The vectors class the pipeline's config names (spaCy's Vectors, or the package's SortedKeyVectors).
    vectors_cfg = load_config(Path(model) / "config.cfg", interpolate=False)["nlp"].get("vectors", {"@vectors": "spacy.Vectors.v1"})
    create_vectors = registry.resolve({"vectors": vectors_cfg})["vectors"]
    base = rss_mb()
    vocab = Vocab()
    vocab.vectors = create_vectors(vocab)
    vocab.from_disk(Path(model) / "vocab", exclude=() if vectors else ("vectors",))
    json.dump({"vectors": vectors, "rss_added_mb": rss_mb() - base, "vectors_shape": list(vocab.vectors.shape)}, sys.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--texts", required=True, help="JSON list of strings")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lengths", default="", help="comma-separated document sizes in characters")
    parser.add_argument("--events", help="write every doc's Output-format JSON here, one line per text")
    parser.add_argument("--vocab-only", choices=["with-vectors", "without-vectors"], help="only measure what loading the vocab adds")
    args = parser.parse_args()
    if args.vocab_only:
        vocab_rss(args.model, args.vocab_only == "with-vectors")
        return

    with open(args.texts, encoding="utf-8") as file:
        texts = json.load(file)
    import spacy

    import csto_events.pipeline
    from csto_events.pipeline.events import doc_to_output

    spacy.blank("en")
    base_rss = rss_mb()
    start = time.perf_counter()
    nlp = spacy.load(args.model)
    load_seconds = time.perf_counter() - start
    loaded_rss = rss_mb()
    for _ in nlp.pipe(texts[:20], batch_size=args.batch_size):
        pass

    passes: Dict[str, List[Any]] = {"wps": [], "cpu_wps": [], "components": [], "event_arguments": [], "ner": []}
    outputs: List[str] = []
    for _ in range(args.repeats):
        start, start_cpu = time.perf_counter(), clock()
        docs = list(nlp.pipe(texts, batch_size=args.batch_size))
        seconds, cpu_seconds = time.perf_counter() - start, clock() - start_cpu
        words = sum(len(doc) for doc in docs)
        passes["wps"].append(words / seconds)
        passes["cpu_wps"].append(words / cpu_seconds)
        outputs = [json.dumps(doc_to_output(doc), sort_keys=True) for doc in docs]
        stages = run_stages(nlp, texts, args.batch_size)
        passes["components"].append(stages["seconds"])
        if "event_arguments" in nlp.pipe_names:
            passes["event_arguments"].append(event_argument_parts(nlp, stages["docs"], args.batch_size))
        passes["ner"].append(ner_parts(nlp, stages["docs"], args.batch_size))

    def medians(rows: List[Dict[str, float]]) -> Dict[str, float]:
        return {key: statistics.median(row[key] for row in rows) for key in rows[0]}

    if args.events:
        with open(args.events, "w", encoding="utf-8") as file:
            file.write("\n".join(outputs) + "\n")
    lengths = [int(n) for n in args.lengths.split(",") if n]
    json.dump(
        {
            "model": args.model,
            "code": csto_events.pipeline.__file__,
            "components": nlp.pipe_names,
            "docs": len(texts),
            "words": words,
            "batch_size": args.batch_size,
            "repeats": args.repeats,
            "load_seconds": load_seconds,
            "wps_runs": passes["wps"],
            "wps": statistics.median(passes["wps"]),
            "cpu_wps_runs": passes["cpu_wps"],
            "cpu_wps": statistics.median(passes["cpu_wps"]),
            "component_seconds": medians(passes["components"]),
            "event_arguments_seconds": medians(passes["event_arguments"]) if passes["event_arguments"] else {},
            "ner_seconds": medians(passes["ner"]),
            "rss_mb": {"base": base_rss, "loaded": loaded_rss, "peak": peak_rss_mb()},
            "memory": memory(nlp),
            "events_sha1": hashlib.sha1("\n".join(outputs).encode("utf-8")).hexdigest(),
            "long_documents": long_documents(nlp, texts, lengths, repeats=2) if lengths else [],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
