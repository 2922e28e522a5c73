"""Inputs of ``csto-events extract``, read lazily, every bad one named by file and line.

Three kinds of input, each yielding one item per document:

- a ``.txt`` file: one document, its id the file name without ``.txt``;
- a folder: every ``*.txt`` under it (sorted), ids the relative paths without
  ``.txt``; other files are not documents and are counted in ``ignored``;
- JSONL (``.jsonl``/``.ndjson`` file, or ``-`` for stdin): one object per
  line with ``id`` (string or integer) and ``text``; blank lines are not
  documents and are passed over, any other key is ignored.

A document that cannot be processed is yielded as a ``BadInput`` in its
place, never dropped, so the caller can stop there or skip it and list it:
an empty (or whitespace-only) text, a binary file, invalid UTF-8, a line that
is not JSON or not an object, a missing or ill-typed ``id`` or ``text``.
Reading is streaming (one line or one file at a time), so memory does not
grow with the input.
"""
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, List, Optional, Union

from ..corpus.validate import Problem

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIX = ".txt"
STDIN = "-"
# A text file with a NUL byte, or mostly control characters at its start,
# is a binary file that happens to decode (or not): say so, not "bad UTF-8".
SNIFF_BYTES = 4096
CONTROL_SHARE = 0.3


class InputError(ValueError):
    """The input as a whole cannot be read (missing path, unknown kind)."""


@dataclass(frozen=True)
class TextInput:
    id: Union[str, int]
    text: str
    where: str  # "file.jsonl:12" or "folder/a.txt", for messages


class BadInput(Problem):
    """A document that cannot be processed: where it is (file and line) and why.

    A located problem like the validator's, so both print as ``where: message``.
    """

    @property
    def reason(self) -> str:
        return self.message


Item = Union[TextInput, BadInput]


@dataclass
class InputStats:
    """What was found besides documents: files in a folder that are not ``.txt``."""

    ignored: List[str] = field(default_factory=list)


def read_inputs(source: Union[str, Path], stats: Optional[InputStats] = None, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Every document of ``source`` as a TextInput or a BadInput, in a stable order."""
    stats = stats if stats is not None else InputStats()
    if str(source) == STDIN:
        yield from read_jsonl_stream(stdin if stdin is not None else sys.stdin.buffer, "<stdin>")
        return
    path = Path(source)
    if path.is_dir():
        yield from read_folder(path, stats)
    elif not path.exists():
        raise InputError(f"{path} does not exist")
    elif path.suffix.lower() in JSONL_SUFFIXES:
        with path.open("rb") as file:
            yield from read_jsonl_stream(file, str(path))
    elif path.suffix.lower() == TEXT_SUFFIX:
        yield read_text_file(path, path.stem)
    else:
        raise InputError(f"{path}: not a .txt file, a .jsonl/.ndjson file, a folder or '-' (stdin JSONL)")


def read_folder(folder: Path, stats: InputStats) -> Iterator[Item]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        if path.suffix.lower() != TEXT_SUFFIX:
            stats.ignored.append(str(path))
            continue
        doc_id = path.relative_to(folder).with_suffix("").as_posix()
        yield read_text_file(path, doc_id)


def read_text_file(path: Path, doc_id: str) -> Item:
    try:
        raw = path.read_bytes()
    except OSError as err:
        return BadInput(str(path), f"cannot read: {err.strerror}")
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark is not part of the text
        raw = raw[3:]
    return _text_or_bad(raw, doc_id, str(path))


def _position(raw: bytes, offset: int) -> str:
    """1-based line and byte column of a byte offset, as editors count them."""
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _looks_binary(raw: bytes) -> bool:
    head = raw[:SNIFF_BYTES]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and control / len(head) > CONTROL_SHARE


def _text_or_bad(raw: bytes, doc_id: Union[str, int], where: str) -> Item:
    if _looks_binary(raw):
        return BadInput(where, "binary data (NUL or control bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return BadInput(where, f"invalid UTF-8 at {_position(raw, err.start)} (byte 0x{raw[err.start]:02x})")
    if not text.strip():
        return BadInput(where, "empty text")
    return TextInput(doc_id, text, where)


def read_jsonl_stream(stream: BinaryIO, name: str) -> Iterator[Item]:
    """JSONL from a binary stream, one line at a time."""
    for line_no, raw in enumerate(stream, start=1):
        where = f"{name}:{line_no}"
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield BadInput(where, f"invalid UTF-8 at column {err.start + 1} (byte 0x{raw[err.start]:02x})")
            continue
        yield parse_jsonl_line(line, where)


def parse_jsonl_line(line: str, where: str) -> Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return BadInput(where, f"malformed JSON: {err.msg} (column {err.colno})")
    if not isinstance(obj, dict):
        return BadInput(where, f"expected a JSON object with 'id' and 'text', got {type(obj).__name__}")
    missing = [key for key in ("id", "text") if key not in obj]
    if missing:
        return BadInput(where, f"missing {' and '.join(repr(k) for k in missing)}")
    doc_id, text = obj["id"], obj["text"]
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == "":
        return BadInput(where, f"'id' must be a non-empty string or an integer, got {doc_id!r}")
    if not isinstance(text, str):
        return BadInput(where, f"'text' of document {doc_id!r} must be a string, got {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate escape such as "\ud800"
        return BadInput(where, f"'text' of document {doc_id!r} is not valid Unicode at character {err.start}")
    if "\x00" in text:
        return BadInput(where, f"'text' of document {doc_id!r} contains NUL characters (binary data, not text)")
    if not text.strip():
        return BadInput(where, f"empty text (document {doc_id!r})")
    return TextInput(doc_id, text, where)
