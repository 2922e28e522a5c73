"""Every error class of the validator, each on a crafted bad example."""
from dataclasses import replace

import pytest

from csto_events.corpus.convert import ValidationError, records_to_docs
from csto_events.corpus.records import Entity, Record, Relation


def bad(record: Record, **changes) -> Record:
    return replace(record, **changes, path="bad.jsonl", line=7)


def problems_of(record: Record) -> str:
    with pytest.raises(ValidationError) as info:
        records_to_docs([record])
    message = str(info.value)
    assert "bad.jsonl:7" in message and repr(record.id) in message
    return message


def test_fixture_records_are_valid(fixture_records):
    docs = records_to_docs(fixture_records)
    assert [len(d.ents) for d in docs] == [len(r.entities) for r in fixture_records]


def test_span_off_token_boundaries(fixture_records):
    record = fixture_records[0]
    entities = list(record.entities)
    start = record.text.index("Sadykova")
    entities[-1] = Entity(99, "PERSON", start, start + 5)  # "Sadyk"
    message = problems_of(bad(record, entities=entities, relations=[]))
    assert "'Sadyk'" in message and "not on token boundaries" in message


def test_overlapping_spans(fixture_records):
    record = fixture_records[0]
    start = record.text.index("Collective Security")
    extra = Entity(99, "ORG", start, start + len("Collective Security"))
    message = problems_of(bad(record, entities=record.entities + [extra]))
    assert "overlaps" in message and "'Collective Security'" in message


def test_unknown_label(fixture_records):
    record = fixture_records[1]
    entities = [replace(e, label="GPE") if e.label == "PERSON" else e for e in record.entities]
    message = problems_of(bad(record, entities=entities))
    assert "unknown label 'GPE'" in message and "'Marta Kowalczyk'" in message


def test_unknown_role(fixture_records):
    record = fixture_records[1]
    relations = [replace(r, type="HOST") if r.type == "AGENT" else r for r in record.relations]
    message = problems_of(bad(record, relations=relations))
    assert "unknown role 'HOST'" in message


def test_link_crossing_sentences(fixture_records):
    record = fixture_records[1]
    session = next(e for e in record.entities if e.label == "MEETING")
    person = next(e for e in record.entities if e.label == "PERSON")
    relations = record.relations + [Relation(99, session.id, person.id, "PARTICIPANT")]
    message = problems_of(bad(record, relations=relations))
    assert "crosses a sentence boundary" in message and "'Marta Kowalczyk'" in message


def test_link_breaking_role_table(fixture_records):
    record = fixture_records[1]
    session = next(e for e in record.entities if e.label == "MEETING")
    org = next(e for e in record.entities if e.label == "ORG")
    relations = record.relations + [Relation(99, session.id, org.id, "LEADER")]
    message = problems_of(bad(record, relations=relations))
    assert "LEADER goes from MISSION to PERSON" in message and "'extraordinary session'" in message


def test_reversed_link_is_explained(fixture_records):
    record = fixture_records[1]
    relations = [Relation(r.id, r.to_id, r.from_id, r.type) for r in record.relations]
    assert "reversed" in problems_of(bad(record, relations=relations))


def test_span_with_determiner_or_punctuation(fixture_records):
    record = fixture_records[1]
    start = record.text.index("The European Union")
    entities = [e for e in record.entities if e.label != "ORG"] + [Entity(99, "ORG", start, start + 18)]
    relations = [r for r in record.relations if r.type != "AGENT"]
    message = problems_of(bad(record, entities=entities, relations=relations))
    assert "determiner 'The'" in message


def test_every_problem_is_reported_not_just_the_first(fixture_records):
    record = fixture_records[1]
    entities = [replace(e, label="NORP") for e in record.entities]
    with pytest.raises(ValidationError) as info:
        records_to_docs([bad(record, entities=entities, relations=[])])
    assert len(info.value.problems) == len(entities)


def test_a_duration_may_start_with_an_article(fixture_records, segmenter):
    from csto_events.corpus.markup import parse
    from csto_events.corpus.validate import check_record

    record = parse("The [mission]{MISSION:m} will stay [a week]{DATE:d}.\n>> m TIME d")
    assert check_record(record, segmenter(record.text)) == []
    record = parse("It sent [a mission]{MISSION} there.")
    assert "determiner 'a'" in str(check_record(record, segmenter(record.text)))
