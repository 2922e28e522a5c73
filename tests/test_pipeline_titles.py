"""An ORG inside a person's title is never an argument: the parse rule, the linker option, the corpus gold."""
import json
from pathlib import Path

import pytest
import spacy

from csto_events.pipeline.titles import org_in_person_title
from csto_events.training.pretrained import md_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def parser():
    return spacy.load(md_path(), exclude=["ner"])


def _spans(doc, *pairs):
    out = []
    for words, label in pairs:
        start = doc.text.index(words)
        out.append(doc.char_span(start, start + len(words), label=label))
    return out


@pytest.mark.parametrize("text, org, person, expected", [
    ("CSTO Secretary General Imangali Tasmagambetov arrived in Yerevan.", "CSTO", "Imangali Tasmagambetov", True),
    ("A mission led by Chief of the CSTO Joint Staff Colonel-General Anatoly Sidorov visited Armenia.",
     "CSTO Joint Staff", "Anatoly Sidorov", True),
    ("The CSTO sent a mission headed by Stanislav Zas.", "CSTO", "Stanislav Zas", False),
    ("Abilova met Park Ji-hoon, chairman of the Korean Film Council, on Saturday.", "Korean Film Council", "Park Ji-hoon", False),
])
def test_an_org_in_a_title_before_the_name(parser, text, org, person, expected):
    doc = parser(text)
    org_span, person_span = _spans(doc, (org, "ORG"), (person, "PERSON"))
    assert org_in_person_title(org_span, [person_span]) is expected


def test_no_linked_org_of_the_corpus_gold_is_marked_and_some_titles_are(parser):
    marked = 0
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n, (record, doc) in enumerate(zip(records, parser.pipe(r["text"] for r in records)), start=1):
            by_id = {e["id"]: doc.char_span(e["start_offset"], e["end_offset"], label=e["label"]) for e in record["entities"]}
            persons = [s for s in by_id.values() if s.label_ == "PERSON"]
            linked = {r["to_id"] for r in record["relations"]}
            for entity_id, span in by_id.items():
                if span.label_ == "ORG" and org_in_person_title(span, persons):
                    marked += 1
                    assert entity_id not in linked, f"{path}:{n}: linked ORG {span.text!r} marked as inside a title"
    assert marked >= 30
