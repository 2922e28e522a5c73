"""Canonical names: one name per organisation or person, so records can be grouped and compared.

A text names the same body three ways ("Collective Security Treaty
Organization (CSTO)", "CSTO", "the CSTO's") and the same person two
("Stanislav Zas", later "Zas"). Two steps, in this order:

1. Within a document: an acronym in brackets after a name is that name
   ("European Union (EU)"); an all-capitals ORG whose letters are the
   initials of a longer ORG of the same text is its acronym; "Council of the
   CSTO" is "CSTO Council"; a surname alone is the full name of the person it
   ends, the nearest one before it (else the first after it).
2. Across documents: the curated alias table ``aliases.json`` maps the names
   the news uses to one canonical name (CSTO -> Collective Security Treaty
   Organization, Joint Staff -> CSTO Joint Staff, Zas -> Stanislav Zas).

The table is data, not code, so adding an alias never needs a code change;
``load_aliases`` refuses an alias that would point to two names.
"""
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import DataError

ALIASES = Path(__file__).with_name("aliases.json")
Entity = Dict[str, Any]
STOP = {"of", "the", "and", "for", "in", "on", "de", "&"}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'").strip()).casefold()


@lru_cache(maxsize=4)
def load_aliases(path: str = str(ALIASES)) -> Dict[str, str]:
    """Alias (case-folded) -> canonical name, the canonical names included; a clear error for a clash."""
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataError(f"{path}: cannot read the alias table: {err}") from err
    lookup: Dict[str, str] = {}
    for group in ("organisations", "people"):
        for canonical, aliases in table.get(group, {}).items():
            for alias in [canonical, *aliases]:
                key = _key(alias)
                if lookup.get(key, canonical) != canonical:
                    raise DataError(f"{path}: alias {alias!r} names both {lookup[key]!r} and {canonical!r}")
                lookup[key] = canonical
    return lookup


def initials(name: str) -> str:
    """'Collective Security Treaty Organization' -> 'CSTO' (function words skipped)."""
    return "".join(word[0] for word in re.findall(r"[A-Za-z][\w'-]*", name) if word.lower() not in STOP).upper()


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9.&-]{1,9}", text))


def document_names(text: str, entities: Sequence[Entity]) -> Dict[Tuple[int, int], str]:
    """The in-document canonical name of every ORG and PERSON entity, by ``(start, end)``."""
    orgs = [e for e in entities if e["label"] == "ORG"]
    people = [e for e in entities if e["label"] == "PERSON"]
    names: Dict[Tuple[int, int], str] = {}
    expansion: Dict[str, str] = {}  # acronym -> long name
    for first, second in zip(orgs, orgs[1:]):
        between = text[first["end"] : second["start"]]
        if re.fullmatch(r"\s*\(\s*", between) and text[second["end"] : second["end"] + 1] == ")" and _is_acronym(second["text"]):
            expansion.setdefault(second["text"], first["text"])
        elif re.fullmatch(r"\s+of\s+the\s+", between) and _is_acronym(second["text"]):
            # "the Council of the CSTO" names the CSTO's council
            names[(first["start"], first["end"])] = f"{second['text']} {first['text']}"
    long_names = [e["text"] for e in orgs if not _is_acronym(e["text"])]
    for org in orgs:
        if _is_acronym(org["text"]) and org["text"] not in expansion:
            match = next((name for name in long_names if initials(name) == org["text"].replace(".", "")), None)
            if match:
                expansion[org["text"]] = match
    for org in orgs:
        key = (org["start"], org["end"])
        names.setdefault(key, expansion.get(org["text"], org["text"]))
    full = [p for p in people if len(p["text"].split()) > 1]
    for person in people:
        name = person["text"]
        if len(name.split()) == 1:
            ending = [p for p in full if p["text"].split()[-1] == name]
            before = [p for p in ending if p["start"] < person["start"]]
            chosen = before[-1] if before else (ending[0] if ending else None)
            if chosen:
                name = chosen["text"]
        names[(person["start"], person["end"])] = name
    return dict(sorted(names.items()))


def canonical_names(text: str, entities: Sequence[Entity], aliases: Optional[Dict[str, str]] = None) -> Dict[Tuple[int, int], str]:
    """In-document links first, then the alias table, for every ORG and PERSON entity."""
    aliases = load_aliases() if aliases is None else aliases
    names = document_names(text, entities)
    result = {}
    for key, name in names.items():
        surface = text[key[0] : key[1]]
        result[key] = aliases.get(_key(name)) or aliases.get(_key(surface)) or name
    return result


def add_canonical(output: Dict[str, Any], aliases: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Give every ORG and PERSON entity of an Output-format dict its ``canonical`` name (in place)."""
    names = canonical_names(output["text"], output.get("entities", []), aliases)
    for entity in output.get("entities", []):
        name = names.get((entity["start"], entity["end"]))
        if name is not None:
            entity["canonical"] = name
    return output
