"""Generated sections of the README: a body between two HTML comment markers.

Scores, variant tables and benchmark figures in the README are written by
the commands that measured them, never typed; each lives between a pair of
markers such as ``<!-- scores:start -->`` and ``<!-- scores:end -->``, so a
rerun replaces exactly that section and nothing else.
"""
from pathlib import Path
from typing import Tuple, Union

from .errors import DataError


def markers(name: str) -> Tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def update_named_section(readme: Union[str, Path], name: str, body: str) -> bool:
    """``update_section`` between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    return update_section(readme, *markers(name), body)


def without_title(markdown: str) -> str:
    """A generated Markdown file minus its ``# title`` line and the blank line after it (the README has its own heading)."""
    return markdown.split("\n", 2)[2] if markdown.startswith("# ") else markdown


def update_section(readme: Union[str, Path], start_marker: str, end_marker: str, body: str) -> bool:
    """Replace the text between the markers with ``body``; True if the file changed."""
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < 0:
        missing = [m for m, at in ((start_marker, start), (end_marker, end)) if at < 0]
        raise DataError(f"{readme}: marker(s) {' and '.join(missing)} not found; add them where the section goes")
    if text.count(start_marker) > 1 or text.count(end_marker) > 1:
        raise DataError(f"{readme}: the markers {start_marker} and {end_marker} must appear once each")
    if end < start:
        raise DataError(f"{readme}: {end_marker} comes before {start_marker}")
    new = text[: start + len(start_marker)] + "\n" + body.rstrip("\n") + "\n" + text[end:]
    if new == text:
        return False
    readme.write_text(new, encoding="utf-8")
    return True
