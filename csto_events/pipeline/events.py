"""Events on the Doc: where links are stored and how events are read and written.

Links live in ``doc._.event_links`` as a list of ``[trigger_start,
trigger_end, argument_start, argument_end, role]`` token offsets. Plain lists
of ints and strings go through ``doc.user_data`` into ``DocBin`` (with
``store_user_data=True``) and through msgpack unchanged, which is why links
are not stored as Span objects. ``doc._.events`` is derived from
``doc.ents`` and the links on every read, so the two can never disagree.

Shipped inside the packaged pipeline: imports only spaCy and its siblings.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, TypedDict, Union

from spacy.tokens import Doc, Span

from .scheme import SPAN_LABELS, TRIGGER_LABELS

Link = Tuple[int, int, int, int, str]


# The Output format (docs/label-scheme.md), one JSON object per text, as types.
class OutputSpan(TypedDict):
    """Character offsets into the text, end exclusive, and the text between them."""

    start: int
    end: int
    text: str


class _OutputEntity(OutputSpan):
    label: str


class OutputEntity(_OutputEntity, total=False):
    """A labelled span; a DATE may carry its ISO 8601 ``value``, any entity its ``canonical`` name."""

    value: str
    canonical: str


class OutputArgument(OutputSpan):
    role: str
    label: str


class OutputEvent(TypedDict):
    type: str
    trigger: OutputSpan
    arguments: List[OutputArgument]


class Output(TypedDict):
    id: Union[str, int, None]
    text: str
    entities: List[OutputEntity]
    events: List[OutputEvent]


@dataclass
class Argument:
    role: str
    span: Span


@dataclass
class Event:
    """A trigger (MISSION or MEETING span) and its arguments."""

    trigger: Span
    arguments: List[Argument] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.trigger.label_


def get_links(doc: Doc) -> List[Link]:
    return [tuple(link) for link in (doc._.event_links or [])]  # type: ignore[misc]


def set_links(doc: Doc, links: Sequence[Link]) -> None:
    doc._.event_links = sorted([list(link) for link in links])


def get_events(doc: Doc) -> List[Event]:
    """Every MISSION and MEETING entity becomes exactly one event, linked or not."""
    by_offsets = {(ent.start, ent.end): ent for ent in doc.ents}
    events = {
        (ent.start, ent.end): Event(ent) for ent in doc.ents if ent.label_ in TRIGGER_LABELS
    }
    for t_start, t_end, a_start, a_end, role in get_links(doc):
        event = events.get((t_start, t_end))
        argument = by_offsets.get((a_start, a_end))
        if event is not None and argument is not None:
            event.arguments.append(Argument(role, argument))
    for event in events.values():
        event.arguments.sort(key=lambda a: (a.span.start, a.role))
    return [events[key] for key in sorted(events)]


def _span_json(span: Span) -> OutputSpan:
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def doc_to_output(doc: Doc, doc_id: Optional[Union[str, int]] = None) -> Output:
    """The Output format of the label scheme for one text.

    Only the scheme's labels are written: an NER fine-tuned from a pretrained
    one keeps that model's other labels (PERCENT, GPE ...) and may still
    predict them on text unlike the training data, but they are not part of
    the contract.
    """
    return {
        "id": doc_id if doc_id is not None else doc.user_data.get("id"),
        "text": doc.text,
        "entities": [{"label": ent.label_, **_span_json(ent)} for ent in doc.ents if ent.label_ in SPAN_LABELS],
        "events": [
            {
                "type": event.type,
                "trigger": _span_json(event.trigger),
                "arguments": [
                    {"role": arg.role, "label": arg.span.label_, **_span_json(arg.span)}
                    for arg in event.arguments
                ],
            }
            for event in doc._.events
        ],
    }


def register_extensions() -> None:
    """Idempotent, so the packaged copy and the repository copy can both import."""
    if not Doc.has_extension("event_links"):
        Doc.set_extension("event_links", default=None)
    if not Doc.has_extension("events"):
        Doc.set_extension("events", getter=get_events)


register_extensions()
