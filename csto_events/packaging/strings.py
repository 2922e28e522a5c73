"""Trim a pipeline's string store to the strings it needs: same output, less memory.

A pipeline built on en_core_web_md saves the text of every vector key in
``vocab/strings.json`` (about 710,000 strings, 685,000 of them vector keys),
and loading them costs about 150 MB of resident memory. Nothing at run time
reads those texts: vectors are found by the hash of the token's text
(``Vectors.key2row``), a token's lexeme attributes (lower, norm, shape, ...)
are computed from the token's own text and added to the store when the
lexeme is first made, and every component adds the strings it uses (labels,
tokenizer exceptions, attribute-ruler patterns, morphology) when it is
loaded. So the strings a pipeline needs are exactly those it adds itself
when loaded with an empty store; the rest can be dropped from the file and
every annotation, vectors included, stays the same.

If something did read a dropped string back from its hash, spaCy would raise
a ``KeyError`` rather than answer differently; ``compare_pipelines``
(used by ``csto-events package --check-texts`` and the tests) runs both
pipelines over the same texts and compares every token's annotations, its
vector and the Output JSON, so a trim that changed anything is refused.
"""
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Union

import srsly

from ..errors import ToolError

STRINGS_FILE = Path("vocab") / "strings.json"


class StringTrimError(ToolError):
    """The trimmed pipeline does not behave like the original; the message says where."""


@dataclass
class TrimResult:
    before: int  # strings in the original strings.json
    after: int  # strings kept
    bytes_before: int
    bytes_after: int

    def as_dict(self) -> Dict[str, int]:
        return {"strings_before": self.before, "strings_after": self.after, "bytes_before": self.bytes_before, "bytes_after": self.bytes_after}


def needed_strings(model_dir: Union[str, Path]) -> List[str]:
    """The strings the pipeline in ``model_dir`` adds to an empty store while it loads, sorted.

    The folder is copied (the original stays as it is) with an empty
    strings.json, loaded, and the loaded vocab's strings are returned.
    """
    import spacy

    from .. import pipeline as _pipeline  # noqa: F401  (registers the project's factories)

    model_dir = Path(model_dir)
    with tempfile.TemporaryDirectory(prefix="csto-strings-") as tmp:
        copy = Path(tmp) / "model"
        shutil.copytree(model_dir, copy, ignore=lambda folder, names: ["strings.json"] if Path(folder) == model_dir / "vocab" else [])
        srsly.write_json(copy / STRINGS_FILE, [])
        nlp = spacy.load(copy)
        return sorted(nlp.vocab.strings)


def trim_strings(model_dir: Union[str, Path]) -> TrimResult:
    """Rewrite ``model_dir/vocab/strings.json`` in place with only ``needed_strings``.

    Meant for a copy of the pipeline (the package's data folder); the trained
    model folder keeps its full store, so training from it is unchanged.
    """
    path = Path(model_dir) / STRINGS_FILE
    if not path.is_file():
        raise StringTrimError(f"{path} is missing: {model_dir} is not a saved spaCy pipeline")
    before = srsly.read_json(path)
    bytes_before = path.stat().st_size
    kept = needed_strings(model_dir)
    missing = sorted(set(kept) - set(before))
    if missing:
        # Loading made strings the saved store never had: harmless, but a sign the copy is not this pipeline.
        raise StringTrimError(f"{model_dir}: loading adds {len(missing)} strings the saved store lacks, e.g. {missing[:5]}")
    srsly.write_json(path, kept)
    return TrimResult(len(before), len(kept), bytes_before, path.stat().st_size)


@dataclass
class Comparison:
    docs: int = 0
    tokens: int = 0
    tokens_with_vector: int = 0
    differences: List[str] = field(default_factory=list)  # the first few, with document and token
    different_docs: int = 0
    output_sha256: str = ""  # of the Output JSON lines of the first pipeline, for the record

    @property
    def identical(self) -> bool:
        return self.different_docs == 0

    def as_dict(self) -> Dict[str, Any]:
        return {
            "docs": self.docs,
            "tokens": self.tokens,
            "tokens_with_vector": self.tokens_with_vector,
            "identical": self.identical,
            "different_docs": self.different_docs,
            "differences": self.differences,
            "output_sha256": self.output_sha256,
        }


def token_rows(doc) -> List[tuple]:
    """Every annotation a token carries that a string-store change could touch, and its vector."""
    return [
        (
            t.text, t.whitespace_, t.lower_, t.norm_, t.shape_, t.prefix_, t.suffix_, t.lemma_, t.tag_, t.pos_,
            str(t.morph), t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start, t.has_vector,
            t.vector.tobytes() if t.has_vector else b"",
        )
        for t in doc
    ]


def compare_pipelines(first, second, texts: Iterable[str], batch_size: int = 16, max_differences: int = 10) -> Comparison:
    """Run two loaded pipelines over the same texts; every token row and the Output JSON must agree."""
    from ..pipeline.events import doc_to_output

    texts = list(texts)
    result = Comparison()
    digest = hashlib.sha256()
    pairs = zip(first.pipe(texts, batch_size=batch_size), second.pipe(texts, batch_size=batch_size))
    for i, (a, b) in enumerate(pairs):
        result.docs += 1
        result.tokens += len(a)
        result.tokens_with_vector += sum(t.has_vector for t in a)
        out_a = json.dumps(doc_to_output(a, i), ensure_ascii=False, sort_keys=True)
        out_b = json.dumps(doc_to_output(b, i), ensure_ascii=False, sort_keys=True)
        digest.update(out_a.encode("utf-8") + b"\n")
        rows_a, rows_b = token_rows(a), token_rows(b)
        if out_a == out_b and rows_a == rows_b:
            continue
        result.different_docs += 1
        if len(result.differences) >= max_differences:
            continue
        if len(rows_a) != len(rows_b):
            result.differences.append(f"text {i}: {len(rows_a)} tokens against {len(rows_b)}")
        else:
            j = next((j for j, (x, y) in enumerate(zip(rows_a, rows_b)) if x != y), None)
            if j is not None:
                result.differences.append(f"text {i}, token {j} {rows_a[j][0]!r}: {rows_a[j][:17]} against {rows_b[j][:17]}")
            else:
                result.differences.append(f"text {i}: Output JSON differs")
    if result.docs != len(texts):
        raise StringTrimError(f"compared {result.docs} of {len(texts)} texts")
    result.output_sha256 = digest.hexdigest()
    return result


def check_texts(sources: Sequence[Union[str, Path]]) -> List[str]:
    """Texts to compare on: corpus JSONL files (``text`` of every line) and .txt files, or folders of them."""
    from ..jsonl import read_json_lines

    files: List[Path] = []
    for source in map(Path, sources):
        files += sorted(p for p in source.rglob("*") if p.suffix in (".jsonl", ".txt")) if source.is_dir() else [source]
    texts: List[str] = []
    for path in files:
        if path.suffix == ".jsonl":
            texts += [obj["text"] for _, obj, problem in read_json_lines(path) if problem is None and obj.get("text", "").strip()]
        elif path.suffix == ".txt":
            texts.append(path.read_text(encoding="utf-8-sig"))
        else:
            raise StringTrimError(f"{path}: texts to check must be corpus JSONL or .txt files")
    if not texts:
        raise StringTrimError(f"no texts in {', '.join(map(str, sources))}")
    return texts
