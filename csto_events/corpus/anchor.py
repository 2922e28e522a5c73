"""Annotate an exact text (a seed article) in a readable draft, with offsets computed by code.

The seed articles must stay byte for byte as delivered: leading spaces,
non-breaking spaces, single and double line breaks, literal brackets. The
review markup of ``markup.py`` rebuilds its own text and reserves ``[`` and
``]``, so it cannot carry them. An anchored draft is the article's text with
spans written inline as ``[[surface|LABEL]]`` or ``[[surface|LABEL:id]]``,
links on lines of their own (``>> trigger_id ROLE argument_id``) and
``# key: value`` headers at the top, one of which, ``# text: PATH``, names the
exact text. The draft's words must equal the text's words; white space may
differ (a draft may turn a non-breaking space into a plain one, or wrap a
line), because spans are mapped onto the exact text through the sequence of
non-space characters, which both share. A draft whose words differ from the
text's is refused, naming the draft line and the first differing characters.

    csto-events corpus import-anchored corpus/seeds/drafts/*.md --output corpus/seeds/seeds.jsonl
"""
import json
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple, Union

from .markup import HEADER, LINK, add_entity, check_span, resolve_links
from .records import CorpusError, Entity, Record

SPAN = re.compile(r"\[\[([^\[\]|]+)\|([A-Z]+)(?::([a-z0-9_]+))?\]\]")


def _solid(text: str) -> Tuple[str, List[int]]:
    """The non-space characters of ``text`` and the offset of each in it."""
    offsets = [i for i, char in enumerate(text) if not char.isspace()]
    return "".join(text[i] for i in offsets), offsets


def _header_value(value: str, where: str) -> Any:
    """A header value: JSON when it opens with ``{`` or ``[`` (record metadata such as ``date_values``), else the string."""
    if not value.startswith(("{", "[")):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as err:
        raise CorpusError(f"{where}: header value is not valid JSON: {err.msg} (column {err.colno})") from err


def parse_draft(source: str, text: str, path: str = "<draft>") -> Record:
    """A record over ``text`` from the draft ``source``; errors name the draft and its line."""
    lines = source.split("\n")
    meta: Dict[str, Any] = {}
    n = 0
    while n < len(lines) and HEADER.match(lines[n]):
        key, value = HEADER.match(lines[n]).groups()
        meta[key] = _header_value(value, f"{path}:{n + 1}")
        n += 1
    plain: List[str] = []  # the draft's text without markup
    plain_line: List[int] = []  # the draft line of every character of ``plain``
    found: List[Tuple[int, int, str, str, int]] = []  # (start, end, label, id, line) in ``plain``
    links: List[Tuple[int, str, str, str]] = []
    for line_no, line in enumerate(lines[n:], start=n + 1):
        if LINK.match(line):
            links.append((line_no, *LINK.match(line).groups()))
            continue
        if line.startswith(">>"):
            raise CorpusError(f"{path}:{line_no}: malformed link line {line!r} (expected '>> trigger ROLE argument')")
        position = 0
        for match in SPAN.finditer(line):
            before = line[position : match.start()]
            plain.append(before)
            plain_line.extend([line_no] * len(before))
            surface, label, span_id = match.groups()
            check_span(surface, label, path, line_no)
            start = len(plain_line)  # one entry per character of plain text so far
            found.append((start, start + len(surface), label, span_id or "", line_no))
            plain.append(surface)
            plain_line.extend([line_no] * len(surface))
            position = match.end()
        rest = line[position:] + "\n"
        if "[[" in rest or "]]" in rest:
            raise CorpusError(f"{path}:{line_no}: unclosed or malformed span near {rest.strip()[:60]!r}")
        plain.append(rest)
        plain_line.extend([line_no] * len(rest))
    draft_text = "".join(plain)
    draft_solid, draft_offsets = _solid(draft_text)
    text_solid, text_offsets = _solid(text)
    if draft_solid != text_solid:
        k = next((i for i, (a, b) in enumerate(zip(draft_solid, text_solid)) if a != b), min(len(draft_solid), len(text_solid)))
        line_no = plain_line[draft_offsets[k]] if k < len(draft_offsets) else len(lines)
        raise CorpusError(
            f"{path}:{line_no}: the draft's words differ from the text's at character {k} of its non-space "
            f"characters: draft {draft_solid[k:k + 30]!r}, text {text_solid[k:k + 30]!r}"
        )
    # The k-th non-space character of the draft is the k-th of the text.
    to_solid = {offset: k for k, offset in enumerate(draft_offsets)}
    entities: List[Entity] = []
    ids: Dict[str, Entity] = {}
    for start, end, label, span_id, line_no in found:
        first, last = to_solid[start], to_solid[end - 1]
        add_entity(entities, ids, Entity(len(entities) + 1, label, text_offsets[first], text_offsets[last] + 1), span_id, path, line_no)
    relations = resolve_links(links, ids, path)
    meta.pop("text", None)
    doc_id = meta.pop("id", Path(path).stem)
    return Record(doc_id, text, entities, relations, meta, path, 1)


def read_draft(path: Union[str, Path]) -> Record:
    """Read a draft and the exact text its ``# text:`` header names (relative to the draft's folder or the cwd)."""
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    header = next((m for m in map(HEADER.match, source.split("\n")) if m and m.group(1) == "text"), None)
    if header is None:
        raise CorpusError(f"{path}:1: an anchored draft needs a '# text: PATH' header naming the exact text")
    named = Path(header.group(2))
    candidates = [named] if named.is_absolute() else [path.parent / named, Path.cwd() / named]
    text_path = next((c for c in candidates if c.is_file()), None)
    if text_path is None:
        raise CorpusError(f"{path}:1: the text {header.group(2)!r} was not found (looked in {', '.join(str(c) for c in candidates)})")
    return parse_draft(source, text_path.read_bytes().decode("utf-8"), str(path))


def build_anchored(drafts: List[Union[str, Path]], output: Union[str, Path]) -> List[Record]:
    """Read drafts, validate them strictly as one corpus, and write them as corpus JSONL (all or nothing)."""
    from .convert import records_to_docs
    from .records import write_jsonl

    records = [read_draft(path) for path in sorted(map(Path, drafts))]
    records_to_docs(records)  # raises ValidationError naming every problem; nothing is written then
    write_jsonl(output, records)
    return records
