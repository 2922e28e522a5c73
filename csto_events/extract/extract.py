"""Run a pipeline over a stream of texts and write one Output-format line per text.

Streaming with constant memory: inputs are read lazily, ``nlp.pipe`` works in
batches (optionally in ``n_process`` processes), and each result is written
as soon as it arrives; only the documents in flight are held.

Nothing goes missing silently. Every input document ends as exactly one
output line or, with ``skip_errors``, one entry in the skipped list; without
it, the first bad document stops the run with its file and line (the
documents before it are already written, and the error says how many).
``extract`` checks ``read == written + skipped`` before it returns.

Long texts are cut into pieces and merged back (``pieces.py``).
"""
import json
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Deque, Iterable, Iterator, List, Optional, TextIO, Tuple, Union

from spacy.language import Language

from ..pipeline.events import Output, doc_to_output
from .inputs import BadInput, InputStats, Item, TextInput, read_inputs
from .loading import load_pipeline, prepare_processes
from .pieces import shift_output, split_text

DEFAULT_BATCH_SIZE = 32
DEFAULT_MAX_CHARS = 100_000
PROGRESS_SECONDS = 2.0


class ExtractError(ValueError):
    """A bad document stopped the run; ``report`` says what was written before it."""

    def __init__(self, bad: BadInput, report: "ExtractReport") -> None:
        self.bad = bad
        self.report = report
        super().__init__(
            f"{bad}\nStopped there: {report.written} document(s) before it were written, the rest were not read. "
            "Fix the input or pass --skip-errors to process the rest and list what was skipped."
        )


@dataclass
class ExtractReport:
    read: int = 0
    written: int = 0
    skipped: List[BadInput] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    long_texts: int = 0  # texts cut into pieces (see module docstring)
    ignored: List[str] = field(default_factory=list)  # non-.txt files in an input folder

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        lines = [
            f"read {self.read} document(s), wrote {self.written}, skipped {len(self.skipped)}; "
            f"{self.words} words in {self.seconds:.1f}s ({self.words_per_second:.0f} words/s)"
        ]
        if self.long_texts:
            lines.append(f"{self.long_texts} long text(s) were processed in pieces and merged (offsets are into the whole text)")
        if self.ignored:
            lines.append(f"ignored {len(self.ignored)} file(s) that are not .txt: {', '.join(self.ignored[:10])}" + (" ..." if len(self.ignored) > 10 else ""))
        if self.skipped:
            lines.append("skipped:")
            lines += [f"  {bad}" for bad in self.skipped]
        return "\n".join(lines)


class Progress:
    """A line on stderr every few seconds: documents, words, speed, skipped."""

    def __init__(self, stream: Optional[TextIO] = None, every: float = PROGRESS_SECONDS) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.last = time.monotonic()

    def update(self, report: ExtractReport, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.every:
            return
        self.last = now
        skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
        print(
            f"extract: {report.written} docs, {report.words} words, {report.words_per_second:.0f} words/s{skipped}",
            file=self.stream,
            flush=True,
        )


def extract(
    nlp: Language,
    items: Iterable[Item],
    write: Callable[[Output], None],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    skip_errors: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Optional[Progress] = None,
) -> ExtractReport:
    """Run ``nlp`` over ``items`` and ``write`` one Output per text, in input order."""
    report = ExtractReport()
    max_chars = min(max_chars, nlp.max_length)
    # One entry per piece sent to nlp.pipe, in order: (document, piece offset, is last piece).
    in_flight: Deque[Tuple[TextInput, int, bool]] = deque()
    stopped: List[BadInput] = []

    def texts() -> Iterator[str]:
        for item in items:
            report.read += 1
            if isinstance(item, BadInput):
                if skip_errors:
                    report.skipped.append(item)
                    continue
                stopped.append(item)
                return
            pieces = split_text(item.text, max_chars)
            if len(pieces) > 1:
                report.long_texts += 1
            for i, (offset, piece) in enumerate(pieces):
                in_flight.append((item, offset, i == len(pieces) - 1))
                yield piece

    start = time.monotonic()
    merged: Optional[Output] = None
    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        item, offset, last = in_flight.popleft()
        report.words += len(doc)
        piece = shift_output(doc_to_output(doc, item.id), offset)
        if merged is None:
            merged = piece
        else:
            merged["entities"].extend(piece["entities"])
            merged["events"].extend(piece["events"])
        if last:
            merged["text"] = item.text
            write(merged)
            merged = None
            report.written += 1
        if progress is not None:
            report.seconds = time.monotonic() - start
            progress.update(report)
    report.seconds = time.monotonic() - start
    if progress is not None:
        progress.update(report, force=True)
    if stopped:
        raise ExtractError(stopped[0], report)
    if in_flight or report.read != report.written + len(report.skipped):
        raise RuntimeError(f"documents went missing: read {report.read}, wrote {report.written}, skipped {len(report.skipped)}")
    return report


class JsonlWriter:
    """One JSON object per line, UTF-8, to a file or to stdout (``-`` or None)."""

    def __init__(self, output: Optional[Union[str, Path]], stdout: Optional[BinaryIO] = None) -> None:
        self.to_stdout = output is None or str(output) == "-"
        if self.to_stdout:
            self.stream: BinaryIO = stdout if stdout is not None else sys.stdout.buffer
        else:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            self.stream = open(output, "wb")

    def __call__(self, output: Output) -> None:
        self.stream.write(json.dumps(output, ensure_ascii=False).encode("utf-8") + b"\n")

    def close(self) -> None:
        if self.to_stdout:
            self.stream.flush()
        else:
            self.stream.close()


def extract_to_files(
    model: Union[str, Path, Language],
    source: Union[str, Path],
    output: Optional[Union[str, Path]] = None,
    *,
    html: Optional[Union[str, Path]] = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    skip_errors: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Optional[Progress] = None,
    stdin: Optional[BinaryIO] = None,
    stdout: Optional[BinaryIO] = None,
) -> ExtractReport:
    """What the command does: load, read ``source``, write JSONL to ``output`` (and ``html``)."""
    from .html import HtmlWriter

    prepare_processes(n_process)
    nlp = model if isinstance(model, Language) else load_pipeline(model)
    stats = InputStats()
    items = read_inputs(source, stats, stdin=stdin)
    writer = JsonlWriter(output, stdout=stdout)
    page = HtmlWriter(html, title=f"csto-events: {source}") if html else None

    def write(out: Output) -> None:
        writer(out)
        if page is not None:
            page.add(out)

    try:
        report = extract(nlp, items, write, batch_size=batch_size, n_process=n_process, skip_errors=skip_errors, max_chars=max_chars, progress=progress)
    except ExtractError as err:
        err.report.ignored = stats.ignored
        raise
    finally:
        writer.close()
        if page is not None:
            page.close()
    report.ignored = stats.ignored
    return report
