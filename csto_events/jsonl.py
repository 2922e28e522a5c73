"""JSON lines, read and written one way everywhere.

The corpus, prediction files and reports are all one JSON object per line.
Reading yields each line's number with its object or the reason it is not
JSON, so every caller can name file and line, and decide itself whether the
first bad line stops the read (the corpus) or all of them are listed (a
predictions file). Writing keeps non-ASCII text as it is (``ensure_ascii``
off), so a file stays readable and diffs stay small.
"""
import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Tuple, Union


def read_json_lines(path: Union[str, Path]) -> Iterator[Tuple[int, Optional[Any], Optional[str]]]:
    """``(line number, object, None)`` or ``(line number, None, problem)`` for every non-blank line."""
    with Path(path).open(encoding="utf-8") as file:
        for line_no, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line), None
            except json.JSONDecodeError as err:
                yield line_no, None, f"invalid JSON: {err.msg} (column {err.colno})"


def write_json_lines(path: Union[str, Path], objects: Iterable[Any]) -> int:
    """Write one object per line (creating the folder); returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as file:
        for obj in objects:
            file.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n
