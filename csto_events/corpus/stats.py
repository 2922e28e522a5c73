"""What the corpus holds, per source: texts, words, spans per label, links per role.

Counted from the JSONL records alone (words are whitespace-separated, no
tokenizer), so ``csto-events corpus stats`` answers without loading spaCy and
the README's corpus table can be regenerated from the data on every run.
"""
from pathlib import Path
from typing import Dict, Iterable, List, Union

from ..readme import update_named_section
from ..tables import markdown_table
from .records import count_records, read_corpus

README_SECTION = "corpus-stats"

Row = Dict[str, object]


def corpus_statistics(inputs: Iterable[Union[str, Path]]) -> List[Row]:
    """One row per source (the records' ``source`` field), then ``all``."""
    by_source: Dict[str, List] = {}
    for record in read_corpus(inputs):
        by_source.setdefault(str(record.meta.get("source", "unknown")), []).append(record)
    rows = []
    for source, records in sorted(by_source.items()) + [("all", [r for rs in by_source.values() for r in rs])]:
        counts = count_records(records)
        rows.append({"source": source, "words": sum(len(r.text.split()) for r in records), **dict(counts)})
    return rows


def statistics_table(rows: List[Row]) -> str:
    """The rows as Markdown: texts and words, then every ``link:`` and ``span:`` count in name order."""
    columns = ["texts", "words"] + sorted({k for r in rows for k in r if ":" in k})
    return markdown_table(["source"] + columns, [[row["source"]] + [row.get(c, 0) for c in columns] for row in rows])


def update_readme(readme: Union[str, Path], table: str) -> bool:
    """Put the table between the README's ``corpus-stats`` markers; True if the file changed."""
    return update_named_section(readme, README_SECTION, table)
