"""Canonical names: in-document links (acronyms, surnames), then the curated alias table."""
import json

import pytest

from csto_events.errors import DataError
from csto_events.records.names import ALIASES, add_canonical, canonical_names, document_names, initials, load_aliases


def _entities(text, spans):
    """Entities for the given (surface, label) pairs, found left to right."""
    out, position = [], 0
    for surface, label in spans:
        start = text.index(surface, position)
        out.append({"label": label, "start": start, "end": start + len(surface), "text": surface})
        position = start + len(surface)
    return out


TEXT = (
    "The Eurasian Policy Forum (EPF) met Sarah Connolly. Connolly said the EPF and the "
    "Baltic Rail Union agreed; BRU staff and Zas were there, as was Stanislav Zas."
)
ENTITIES = _entities(TEXT, [("Eurasian Policy Forum", "ORG"), ("EPF", "ORG"), ("Sarah Connolly", "PERSON"), ("Connolly", "PERSON"),
                            ("EPF", "ORG"), ("Baltic Rail Union", "ORG"), ("BRU", "ORG"), ("Zas", "PERSON"), ("Stanislav Zas", "PERSON")])


def test_acronyms_and_surnames_are_linked_within_the_document():
    names = {TEXT[a:b] + f"@{a}": v for (a, b), v in document_names(TEXT, ENTITIES).items()}
    assert names[f"EPF@{TEXT.index('EPF')}"] == "Eurasian Policy Forum"  # bracketed acronym
    assert names[f"EPF@{TEXT.index('EPF', TEXT.index('EPF') + 3)}"] == "Eurasian Policy Forum"  # and later
    assert names[f"BRU@{TEXT.index('BRU')}"] == "Baltic Rail Union"  # by initials
    assert names[f"Connolly@{TEXT.index('Connolly said')}"] == "Sarah Connolly"
    assert names[f"Zas@{TEXT.index('Zas')}"] == "Stanislav Zas"  # full name only after it


def test_the_alias_table_gives_one_name_across_documents():
    text = "The CSTO and the Joint Staff met; the Council of the CSTO too."
    entities = _entities(text, [("CSTO", "ORG"), ("Joint Staff", "ORG"), ("Council", "ORG"), ("CSTO", "ORG")])
    names = list(canonical_names(text, entities).values())
    assert names == ["Collective Security Treaty Organization", "CSTO Joint Staff", "CSTO Collective Security Council",
                     "Collective Security Treaty Organization"]


def test_add_canonical_writes_canonical_on_org_and_person_only():
    output = {"text": TEXT, "entities": ENTITIES[:2] + [{"label": "DATE", "start": 0, "end": 3, "text": "The"}]}
    add_canonical(output)
    assert [e.get("canonical") for e in output["entities"]] == ["Eurasian Policy Forum", "Eurasian Policy Forum", None]


def test_initials_skip_function_words():
    assert initials("Collective Security Treaty Organization") == "CSTO"
    assert initials("Office for Democratic Institutions and Human Rights") == "ODIHR"


def test_alias_table_refuses_an_alias_for_two_names(tmp_path):
    table = tmp_path / "aliases.json"
    table.write_text(json.dumps({"organisations": {"A Union": ["AU"], "African Union": ["AU"]}}), encoding="utf-8")
    with pytest.raises(DataError, match="'AU' names both"):
        load_aliases(str(table))
    assert load_aliases(str(ALIASES))["csto"] == "Collective Security Treaty Organization"
