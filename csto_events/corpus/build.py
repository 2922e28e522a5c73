"""The ``convert`` step: gold JSONL -> validated DocBins and the held-out split.

Writes ``articles.spacy`` (whole texts, for cross-validation folds and
doccano round trips) and ``train/dev/test.spacy`` (sentences, for
``spacy train`` and the headline test), plus ``splits.json`` naming every
sentence's split, so a reader can check that no test sentence trains.
"""
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Union

from .convert import count_annotations, make_segmenter, records_to_docs, write_docbin
from .records import count_records, read_corpus
from .splits import SPLITS, sentence_docs, split_sentences


@dataclass
class ConversionReport:
    counts_in: Counter
    counts_out: Counter
    split_sizes: Dict[str, Dict[str, int]] = field(default_factory=dict)

    def table(self) -> str:
        keys = sorted(set(self.counts_in) | set(self.counts_out))
        rows = [f"{'':<18}{'in':>8}{'out':>8}"]
        rows += [f"{k:<18}{self.counts_in[k]:>8}{self.counts_out[k]:>8}" for k in keys]
        rows.append("")
        rows.append(f"{'split':<8}{'sentences':>10}{'articles':>10}{'spans':>8}{'links':>8}")
        for name, sizes in self.split_sizes.items():
            rows.append(
                f"{name:<8}{sizes['sentences']:>10}{sizes['articles']:>10}{sizes['spans']:>8}{sizes['links']:>8}"
            )
        return "\n".join(rows)


def convert_corpus(inputs: Iterable[Union[str, Path]], output_dir: Union[str, Path], seed: int = 0) -> ConversionReport:
    """Validate the corpus and write the DocBins; nothing is written if anything is wrong."""
    records = read_corpus(inputs)
    if not records:
        raise ValueError(f"no records found in {', '.join(map(str, inputs))}")
    docs = records_to_docs(records, make_segmenter())  # raises with every problem listed
    counts_in, counts_out = count_records(records), count_annotations(docs)
    if counts_in != counts_out:  # a bug, never an annotation problem: stop loudly
        raise RuntimeError(f"conversion lost annotations: in {dict(counts_in)} out {dict(counts_out)}")
    sentences = [sent for doc in docs for sent in sentence_docs(doc)]
    splits = split_sentences(sentences, seed)
    sentence_counts = count_annotations(sentences)
    for kind in [k for k in counts_out if k != "texts"]:
        if sentence_counts[kind] != counts_out[kind]:
            raise RuntimeError(f"sentence splitting lost {kind}: {counts_out[kind]} -> {sentence_counts[kind]}")

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    write_docbin(docs, output_dir / "articles.spacy")
    report = ConversionReport(counts_in, counts_out)
    for name in SPLITS:
        write_docbin(splits[name], output_dir / f"{name}.spacy")
        c = count_annotations(splits[name])
        report.split_sizes[name] = {
            "sentences": len(splits[name]),
            "articles": len({d.user_data["article"] for d in splits[name]}),
            "spans": sum(v for k, v in c.items() if k.startswith("span:")),
            "links": sum(v for k, v in c.items() if k.startswith("link:")),
        }
    manifest = {
        "seed": seed,
        "sizes": report.split_sizes,
        "counts": dict(sorted(counts_out.items())),
        "sentences": {name: [d.user_data["id"] for d in splits[name]] for name in SPLITS},
    }
    (output_dir / "splits.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return report
