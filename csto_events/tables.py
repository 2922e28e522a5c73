"""Markdown tables, built in one place for every report, README section and command output.

Every generated table in the project (scores, variants, benchmarks, corpus
statistics, label keys) goes through ``markdown_table``, so they all escape
cells the same way and a change of style is one edit.
"""
from typing import Any, Iterable, Sequence


def _cell(value: Any) -> str:
    # A pipe would end the cell and a line break the row: both would shift every column after it.
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table: header, ``|---|`` separator, one line per row (no trailing newline)."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
