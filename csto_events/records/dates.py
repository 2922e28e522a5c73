"""Normalised values for DATE spans, resolved against the document's own date.

An analyst sorts events by when they happened, so "Thursday" must become
``2023-03-16`` and "last month" ``2022-11``. The values follow ISO 8601 and
TimeML's TIMEX3 conventions:

| kind | example | value |
|---|---|---|
| day | "September 13", "Thursday" | ``2022-09-13`` |
| month / year | "last month", "2022" | ``2022-11``, ``2022`` |
| week / season | "next week", "this spring" | ``2023-W12``, ``2023-SP`` |
| range | "years 2021-2022", "September 13-14" | ``2021/2022``, ``2022-09-13/2022-09-14`` |
| duration | "two-day", "five years", "a week" | ``P2D``, ``P5Y``, ``P1W`` |
| frequency | "daily", "annual" | ``R/P1D``, ``R/P1Y`` (ISO 8601 repeating interval) |
| vague | "recently", "the near future", "the past" | ``PRESENT_REF``, ``FUTURE_REF``, ``PAST_REF`` |

Without a document date, what the text alone fixes is kept and the rest is
underspecified the TIMEX3 way: ``XXXX-09-13``, ``XXXX-WXX-4`` (a Thursday).

Calendar parsing is dateparser's (``RELATIVE_BASE`` = the document's date).
This module adds only what dateparser does not do or gets wrong for news,
each case with a test in ``tests/test_records_dates.py``:

- a weekday in a news report is the most recent such day, *including the
  document's own day* ("arrived on Thursday" in a Thursday article is that
  day; dateparser goes back a week), or the next one after a future verb;
- a bare month is the most recent such month, or the next after a future verb;
- durations ("two-year" is not February), frequencies, ranges, seasons and
  vague references, which dateparser parses wrongly or not at all;
- the granularity of the value ("September" is ``2022-09``, not a day);
- "a day later", "the next day" count from the last day the text named,
  not from the document's date.
"""
import datetime as dt
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import dateparser
from dateparser.date import DateDataParser

DateLike = Optional[dt.date]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "several": None, "a few": None, "few": None,
    "many": None, "couple of": 2, "a couple of": 2,
}
UNIT_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE"}
BARE_UNITS = re.compile(r"^(?:(?:for|over)\s+)?(?P<unit>day|week|month|year)s$", re.I)
_NUMBER = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
DURATION = re.compile(
    rf"^(?:(?:the|a|an)\s+)?(?:(?:past|last|next|coming|first|further|another|previous|following|more than|over|almost|nearly|about|some)\s+)*"
    rf"(?P<n>\d+|{_NUMBER})[\s-]+(?:(?:more|further|additional|consecutive)\s+)?(?P<unit>day|week|month|year|decade|centur(?:y|ie))s?(?:[\s-]+(?:long|old))?$",
    re.I,
)
FREQUENCIES = {
    "daily": "R/P1D", "weekly": "R/P1W", "monthly": "R/P1M", "quarterly": "R/P3M", "annual": "R/P1Y",
    "annually": "R/P1Y", "yearly": "R/P1Y", "biannual": "R/P6M", "biennial": "R/P2Y", "every day": "R/P1D",
    "every week": "R/P1W", "every month": "R/P1M", "every year": "R/P1Y", "each year": "R/P1Y",
    "once a year": "R/P1Y", "twice a year": "R/P6M", "once a month": "R/P1M", "each month": "R/P1M",
}
VAGUE = {
    "recently": "PAST_REF", "recent": "PAST_REF", "the past": "PAST_REF", "past": "PAST_REF",
    "previously": "PAST_REF", "earlier": "PAST_REF", "in the past": "PAST_REF", "lately": "PAST_REF",
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF", "these days": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "the moment": "PRESENT_REF", "at the moment": "PRESENT_REF", "present": "PRESENT_REF",
    "the future": "FUTURE_REF", "future": "FUTURE_REF", "soon": "FUTURE_REF", "the near future": "FUTURE_REF",
    "near future": "FUTURE_REF", "neat future": "FUTURE_REF", "the coming years": "FUTURE_REF",
    "the coming months": "FUTURE_REF", "the coming weeks": "FUTURE_REF", "the coming days": "FUTURE_REF",
    "coming years": "FUTURE_REF", "coming months": "FUTURE_REF", "coming weeks": "FUTURE_REF", "coming days": "FUTURE_REF",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|noon))?"
WEEKDAY = re.compile(rf"^(?:(?P<mod>last|this|next|past|coming|on)\s+)?(?P<day>{'|'.join(WEEKDAYS)}){PART_OF_DAY}$", re.I)
MONTH = re.compile(rf"^(?:(?P<mod>last|this|next|past|coming|in|early|mid|late|the end of|the beginning of|the start of|the middle of|end of|mid-)\s*)?(?P<month>{'|'.join(MONTHS)})$", re.I)
RELATIVE_UNIT = re.compile(
    r"^(?:(?:early|late|later|earlier|the end of|the beginning of|the start of|the middle of|end of|mid-)\s*)?"
    r"(?:(?:in|during|over)\s+)?(?:the\s+)?(?P<mod>last|past|previous|this|current|next|coming|following)\s+(?P<unit>week|month|year)$",
    re.I,
)
SEASON = re.compile(rf"^(?:the\s+)?(?:(?P<mod>last|this|next|coming|past)\s+)?(?P<season>{'|'.join(SEASONS)})(?:\s+of\s+(?P<year>\d{{4}}))?(?:\s+(?P<year2>\d{{4}}))?$", re.I)
YEAR_RANGE = re.compile(r"^(?:the\s+)?(?:years?\s+)?(?:from\s+|between\s+)?(?P<a>\d{4})\s*(?:-|–|—|to|and|until)\s*(?P<b>\d{2,4})$", re.I)
DAY_RANGE_MONTH_FIRST = re.compile(rf"^(?P<month>{'|'.join(MONTHS)})\.?\s+(?P<a>\d{{1,2}})\s*(?:-|–|—|to|and)\s*(?P<b>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?$", re.I)
DAY_RANGE_DAY_FIRST = re.compile(rf"^(?P<a>\d{{1,2}})\s*(?:-|–|—|to|and)\s*(?P<b>\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS)})(?:,?\s+(?P<year>\d{{4}}))?$", re.I)
SPAN_RANGE = re.compile(r"^(?:from|between)\s+(?P<a>.+?)\s+(?:to|until|and|through)\s+(?P<b>.+)$", re.I)
DECADE = re.compile(r"^(?:the\s+)?(?P<d>\d{3})0s$", re.I)
ANCHORED = re.compile(
    rf"^(?:(?P<n>\d+|{_NUMBER})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>later|after|earlier|before)"
    r"|the\s+(?P<word>next|following|previous|preceding)\s+(?P<unit2>day|week|month|year)"
    r"|the\s+(?P<unit3>day|week|month|year)\s+(?P<dir3>after|before))$",
    re.I,
)
SAME_DAY = {"same day": None, "the same evening": None, "evening": None, "morning": None, "afternoon": None, "night": None, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "yesterday": -1, "tomorrow": 1, "the same day": None, "that day": None, "later that day": None, "the same evening": None}
MODIFIER = re.compile(r"^(?:early|mid|late|the end of|the beginning of|the start of|the middle of|end of|the first half of|the second half of)[\s-]+", re.I)
FUTURE_CUE = re.compile(r"\b(?:will|shall|is to|are to|is due|are due|due to|plans? to|planned|scheduled|expected to|set to|upcoming|next"
    r"|to (?:meet|hold|host|visit|send|convene|gather|travel|arrive|attend|open|start))\b", re.I)
WEEKEND = re.compile(r"^(?:the\s+)?(?:(?P<mod>last|this|next|past|coming)\s+)?weekend$", re.I)
EVERY_WEEKDAY = re.compile(rf"^every\s+(?:{'|'.join(WEEKDAYS)})$", re.I)
MONTH_OF_YEAR = re.compile(rf"^(?P<month>{'|'.join(MONTHS)})\s+(?:of\s+)?(?P<mod>last|this|next)\s+year$", re.I)
QUARTER = re.compile(r"^(?:the\s+)?(?P<n>first|second|third|fourth|last)\s+quarter(?:\s+of\s+(?P<year>\d{4}))?$", re.I)
SINCE = re.compile(r"\b(?:since|ago)\s*$", re.I)
OPENS_CLAUSE = re.compile(r"^\s*(?:(?:early|late)\s+)?(?:on|in|at|by|from)?\s*$", re.I)
UNTIL = re.compile(r"\b(?:until|till)\s*$", re.I)
IN_DURATION = re.compile(r"\b(?:in|within the next)\s*$", re.I)
HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
FIRST_LINES = 3


def _parser(base: Optional[dt.date], prefer: str = "past") -> DateDataParser:
    settings: Dict[str, Any] = {"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def parse_iso_date(value: Any, where: str = "") -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` string (or a date) as a date; a clear error naming ``where`` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise ValueError(f"{where}: document date {value!r} is not YYYY-MM-DD") from err


def date_from_text(text: str) -> Optional[dt.date]:
    """The date a text carries in its first lines: a ``date YYYY-MM-DD`` header, or a full dateline.

    Only a complete date (day, month and year) counts: a dateline such as
    "Sep. 13" fixes no year and is resolved against the document date itself.
    """
    lines = text.lstrip().split("\n")[:FIRST_LINES]
    for line in lines:
        match = HEADER_DATE.match(line)
        if match:
            return parse_iso_date(match.group(1))
    for line in lines:
        for candidate in re.findall(
            rf"\b\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\s+\d{{4}}\b|\b(?:{'|'.join(MONTHS)})\.?\s+\d{{1,2}},?\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
            line,
            flags=re.I,
        ):
            data = _parser(None).get_date_data(candidate)
            if data.date_obj is not None and data.period == "day":
                return data.date_obj.date()
    return None


def document_date(text: str, field: Any = None, default: Any = None, where: str = "") -> Optional[dt.date]:
    """The date to resolve a document's DATEs against: its ``date`` field, else its own header or dateline, else ``default`` (``--doc-date``)."""
    return parse_iso_date(field, where) or date_from_text(text) or parse_iso_date(default, "--doc-date")


def _format(day: dt.date, period: str) -> str:
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _number(word: str) -> Optional[int]:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def _weekday(match: "re.Match[str]", base: DateLike, future: bool) -> str:
    target = WEEKDAYS.index(match.group("day").lower())
    if base is None:
        return f"XXXX-WXX-{target + 1}"
    mod = (match.group("mod") or "").lower()
    if mod in ("next", "coming") or (future and mod not in ("last", "past")):
        ahead = (target - base.weekday()) % 7 or (7 if mod in ("next", "coming") else 0)
        return (base + dt.timedelta(days=ahead)).isoformat()
    back = (base.weekday() - target) % 7
    if mod in ("last", "past") and back == 0:
        back = 7
    return (base - dt.timedelta(days=back)).isoformat()


def _nearest_day(month: int, day: int, base: dt.date, future: bool) -> str:
    """A day and month without a year: the occurrence on or before ``base``, unless a later one is clearly nearer (or the verb is future)."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 29 February
            continue
    back = max((c for c in candidates if c <= base), default=None)
    ahead = min((c for c in candidates if c > base), default=None)
    if back == base or ahead is None:
        return (back or base).isoformat()
    if back is None or future or _nearer_ahead((ahead - base).days, (base - back).days):
        return ahead.isoformat()
    return back.isoformat()


def _weekend(match: "re.Match[str]", base: DateLike, future: bool) -> str:
    """TIMEX3's ``YYYY-Www-WE``: the weekend just past (or under way), or the next one."""
    if base is None:
        return "XXXX-WXX-WE"
    mod = (match.group("mod") or "").lower()
    saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7)
    if mod in ("next", "coming") or (future and mod not in ("last", "past")):
        saturday = base + dt.timedelta(days=(5 - base.weekday()) % 7 or 7) if base.weekday() < 5 or mod else saturday
    year, week, _ = saturday.isocalendar()
    return f"{year:04d}-W{week:02d}-WE"


def _month(match: "re.Match[str]", base: DateLike, future: bool) -> str:
    month = MONTHS.index(match.group("month").lower()) + 1
    if base is None:
        return f"XXXX-{month:02d}"
    mod = (match.group("mod") or "").lower()
    year = base.year
    ahead, back = (month - base.month) % 12, (base.month - month) % 12
    if mod in ("next", "coming") or (future and mod not in ("last", "past")) or (not mod and _nearer_ahead(ahead, back)):
        year += 1 if month < base.month or (mod in ("next", "coming") and month == base.month) else 0
    elif mod != "this":
        year -= 1 if month > base.month or (mod in ("last", "past") and month == base.month) else 0
    return f"{year:04d}-{month:02d}"


def _nearer_ahead(ahead: int, back: int) -> bool:
    """A month or day without a year is the nearer occurrence, the past one counting double.

    News reports mostly look back (dateparser's ``PREFER_DATES_FROM: past``),
    but "the annual general meeting on June 4" in a March article is three
    months ahead, not nine months back; only a clearly nearer future wins.
    """
    return back > 0 and ahead * 2 < back


def _relative_unit(match: "re.Match[str]", base: DateLike) -> str:
    mod, unit = match.group("mod").lower(), match.group("unit").lower()
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1, "following": 1}[mod]
    if base is None:
        return "PRESENT_REF" if step == 0 else ("PAST_REF" if step < 0 else "FUTURE_REF")
    if unit == "year":
        return f"{base.year + step:04d}"
    if unit == "month":
        return _format(_shift_month(base, step), "month")
    return _format(base + dt.timedelta(weeks=step), "week")


def _season(match: "re.Match[str]", base: DateLike) -> str:
    code = SEASONS[match.group("season").lower()]
    year = match.group("year") or match.group("year2")
    if year:
        return f"{year}-{code}"
    if base is None:
        return f"XXXX-{code}"
    step = {"last": -1, "past": -1, "next": 1}.get((match.group("mod") or "").lower(), 0)
    return f"{base.year + step:04d}-{code}"


def _anchored(match: "re.Match[str]", anchor: DateLike) -> Optional[str]:
    if anchor is None:
        return None
    if match.group("n"):
        n, unit, sign = _number(match.group("n")) or 1, match.group("unit").lower(), 1 if match.group("dir").lower() in ("later", "after") else -1
    elif match.group("word"):
        n, unit, sign = 1, match.group("unit2").lower(), 1 if match.group("word").lower() in ("next", "following") else -1
    else:
        n, unit, sign = 1, match.group("unit3").lower(), 1 if match.group("dir3").lower() == "after" else -1
    if unit == "day":
        return (anchor + dt.timedelta(days=sign * n)).isoformat()
    if unit == "week":
        return _format(anchor + dt.timedelta(weeks=sign * n), "week")
    if unit == "month":
        return _format(_shift_month(anchor, sign * n), "month")
    return f"{anchor.year + sign * n:04d}"


def _calendar(text: str, base: DateLike, future: bool) -> Optional[str]:
    """dateparser on a calendar expression, at the granularity the text gives."""
    data = _parser(base or dt.date(2000, 1, 1), "future" if future else "past").get_date_data(text)
    if data.date_obj is None:
        return None
    period = data.period if data.period in ("year", "month", "week") else "day"
    if base is not None and period == "day" and not re.search(r"\b\d{4}\b", text) and "year" not in (data.__dict__.get("parts") or ()):
        return _nearest_day(data.date_obj.month, data.date_obj.day, base, future)
    value = _format(data.date_obj.date(), period)
    if base is None and not re.search(r"\b\d{4}\b", text):  # no document date and no year: keep the year open
        return "XXXX" + value[4:] if period in ("day", "month") else None
    return value


def normalise(text: str, base: DateLike = None, anchor: DateLike = None, future: bool = False) -> Optional[str]:
    """The value of the DATE ``text``: ``base`` is the document's date, ``anchor`` the last day the text named before it.

    ``future`` says the sentence speaks of what is to come before the date
    ("will meet on Friday"), which moves a bare weekday or month forward.
    None only when nothing in the expression can be normalised.
    """
    clean = re.sub(r"\s+", " ", text.strip().strip(".,;:()")).replace("’", "'")
    lower = clean.lower()
    lower = re.sub(r"^(?:on|in|during|since|by|until|from)\s+(?=\S)", "", lower) if not SPAN_RANGE.match(lower) else lower
    if lower in FREQUENCIES:
        return FREQUENCIES[lower]
    if lower in VAGUE:
        return VAGUE[lower]
    if lower in SAME_DAY:
        shift = SAME_DAY[lower]
        day = base if shift is not None else (anchor or base)
        if day is None:
            return {-1: "PAST_REF", 1: "FUTURE_REF"}.get(shift or 0, "PRESENT_REF")
        return (day + dt.timedelta(days=shift or 0)).isoformat()
    match = DURATION.match(lower)
    if match:
        n, code = _number(match.group("n")), UNIT_CODES[match.group("unit").lower()]
        if code in ("DE", "CE"):
            n, code = (n or 0) * (10 if code == "DE" else 100), "Y"
        return f"P{n if n is not None else 'X'}{code}"
    match = ANCHORED.match(lower)
    if match:
        return _anchored(match, anchor or base)
    match = BARE_UNITS.match(lower)
    if match:
        return f"PX{UNIT_CODES[match.group('unit').lower()]}"
    if EVERY_WEEKDAY.match(lower):
        return "R/P1W"
    match = WEEKEND.match(lower)
    if match:
        return _weekend(match, base, future)
    match = MONTH_OF_YEAR.match(lower)
    if match:
        step = {"last": -1, "this": 0, "next": 1}[match.group("mod").lower()]
        month = MONTHS.index(match.group("month").lower()) + 1
        return f"{base.year + step:04d}-{month:02d}" if base else f"XXXX-{month:02d}"
    match = QUARTER.match(lower)
    if match:
        n = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}[match.group("n").lower()]
        year = match.group("year") or (f"{base.year:04d}" if base else "XXXX")
        return f"{year}-Q{n}"
    match = WEEKDAY.match(lower)
    if match:
        return _weekday(match, base, future)
    match = RELATIVE_UNIT.match(lower)
    if match:
        return _relative_unit(match, base)
    match = SEASON.match(lower)
    if match:
        return _season(match, base)
    match = DECADE.match(lower)
    if match:
        return match.group("d")
    match = YEAR_RANGE.match(lower)
    if match:
        a, b = match.group("a"), match.group("b")
        return f"{a}/{a[:4 - len(b)] + b}"
    for pattern in (DAY_RANGE_MONTH_FIRST, DAY_RANGE_DAY_FIRST):
        match = pattern.match(lower)
        if match:
            month, year = match.group("month"), match.group("year") or ""
            first = normalise(f"{month} {match.group('a')} {year}".strip(), base, anchor, future)
            last = normalise(f"{month} {match.group('b')} {year}".strip(), base, anchor, future)
            return f"{first}/{last}" if first and last else None
    match = SPAN_RANGE.match(lower)
    if match:
        first, last = normalise(match.group("a"), base, anchor, future), normalise(match.group("b"), base, anchor, future)
        return f"{first}/{last}" if first and last else None
    stripped = MODIFIER.sub("", lower)
    match = MONTH.match(stripped)
    if match:
        return _month(match, base, future)
    if stripped in ("the month", "the week", "the year"):  # "the end of the month": this one
        stripped = "this " + stripped[4:]
    if stripped != lower:
        return normalise(stripped, base, anchor, future)
    if re.fullmatch(r"\d{4}", lower):
        return lower
    return _calendar(re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", lower), base, future)


def parser_only(text: str, base: DateLike) -> Optional[str]:
    """The baseline: dateparser alone (RELATIVE_BASE, past preferred), formatted at its own granularity."""
    settings: Dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    return _format(data.date_obj.date(), data.period if data.period in ("year", "month", "week") else "day")


def _after(duration: str, base: dt.date) -> Optional[str]:
    """The date ``duration`` after ``base``, at the duration's unit: ``P2W`` -> a day, ``P3M`` -> a month."""
    match = re.fullmatch(r"P(\d+)([DWMY])", duration)
    if not match:
        return None
    n, unit = int(match.group(1)), match.group(2)
    if unit in "DW":
        return (base + dt.timedelta(days=n * (7 if unit == "W" else 1))).isoformat()
    if unit == "M":
        return _format(_shift_month(base, n), "month")
    return f"{base.year + n:04d}"


def _day_of(value: Optional[str]) -> Optional[dt.date]:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return None


def date_values(text: str, spans: Iterable[Tuple[int, int]], base: DateLike) -> Dict[Tuple[int, int], Optional[str]]:
    """The value of every DATE span ``(start, end)`` of a text, in text order.

    Each span's anchor is the last day named before it (for "a day later"),
    and its sentence up to the span decides whether a bare weekday or month
    is read forward.
    """
    values: Dict[Tuple[int, int], Optional[str]] = {}
    anchor: Optional[dt.date] = None
    for start, end in sorted(spans):
        line_start = text.rfind("\n", 0, start) + 1
        before = re.split(r"[.!?,;:–—]\s", text[line_start:start])[-1]  # the clause the date is in
        future = bool(FUTURE_CUE.search(before) or UNTIL.search(before)) and not SINCE.search(before)
        if OPENS_CLAUSE.match(before):
            # A date that opens its sentence or clause ("On Friday, Kovacic will give ...") is read with the verb after it.
            sentence_end = re.search(r"[.!?](?:\s|$)", text[end:])
            future = bool(FUTURE_CUE.search(text[end : end + (sentence_end.start() if sentence_end else len(text) - end)]))
        value = normalise(text[start:end], base, anchor, future)
        if value and value.startswith("P") and future and IN_DURATION.search(before) and base is not None:
            value = _after(value, base) or value  # "convene again in two weeks" is a day, not a length
        values[(start, end)] = value
        anchor = _day_of(value) or anchor
    return values


def add_date_values(output: Dict[str, Any], base: DateLike) -> Dict[str, Any]:
    """Give every DATE entity of an Output-format dict its ``value`` (in place; returned for chaining)."""
    dates = [e for e in output.get("entities", []) if e.get("label") == "DATE"]
    values = date_values(output["text"], [(e["start"], e["end"]) for e in dates], base)
    for entity in dates:
        value = values[(entity["start"], entity["end"])]
        if value is not None:
            entity["value"] = value
    return output


def register_span_value() -> None:
    """``Doc._.doc_date`` (an ISO date string) and ``Span._.value``, the normalised value of a DATE span."""
    from spacy.tokens import Doc, Span

    if not Doc.has_extension("doc_date"):
        Doc.set_extension("doc_date", default=None)
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_span_value)


def _span_value(span: Any) -> Optional[str]:
    if span.label_ and span.label_ != "DATE":
        return None
    doc = span.doc
    base = parse_iso_date(doc._.doc_date) or date_from_text(doc.text)
    dates = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE" and e.end_char <= span.start_char]
    values = date_values(doc.text, dates + [(span.start_char, span.end_char)], base)
    return values[(span.start_char, span.end_char)]
