"""Which DATE spans date the page rather than an event (guidelines, decisions 6 and 36).

A ``date YYYY-MM-DD`` header, a dateline ("YEREVAN, March 3 (Armenpress) -",
"Sep. 13 () –") and a page date line ("12 March 2024 Read: 487") are DATEs
that are never TIME arguments. The guidelines define them by their place on
the line, so a rule can recognise them from the text alone, and it does so
better than the learner: the learner sees a DATE in the same sentence as the
first event (a header often shares its line with the first sentence) and
links it. A date that opens a line and is followed only by a dash is a
timeline entry ("March 6 - The Permanent Council met"), which is linked, so
a dash alone does not make a dateline.

Text-only on purpose: the same test runs inside the pipeline and over saved
predictions (``start``/``end`` character offsets), so a rule measured post hoc
is the rule that ships. Shipped in the packaged pipeline: imports nothing from
the rest of ``csto_events``.
"""
import re

# What may stand before the date on its line: nothing, a "date" header keyword, or a
# dateline place ("YEREVAN," / "Addis Ababa," / "BATKEN, Kyrgyzstan,": up to three parts of one
# to three capitalised words, each ending in a comma).
_HEADER_KEYWORD = re.compile(r"^\W*date\s*:?\s*$", re.IGNORECASE)
_PLACE = re.compile(r"^\W*(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}\s*,\s*){1,3}$")
# What after a date at the very start of a line makes it a dateline: an agency tag in
# brackets (possibly empty) or the site's page furniture.
_AGENCY_TAG = re.compile(r"^\s*\([^()\n]{0,40}\)")
_PAGE_FURNITURE = re.compile(r"^\W*(?:Read|Views|Updated|Comments?)\s*:", re.IGNORECASE)


def _line_around(text: str, start: int, end: int) -> tuple:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:start], text[end : len(text) if line_end < 0 else line_end]


def is_dateline_date(text: str, start: int, end: int) -> bool:
    """Whether the DATE at ``text[start:end]`` is a header, dateline or page date."""
    before, after = _line_around(text, start, end)
    if _HEADER_KEYWORD.match(before) or _PLACE.match(before):
        return True
    if before.strip(" \t\u00a0"):
        return False
    return bool(_AGENCY_TAG.match(after) or _PAGE_FURNITURE.match(after))
