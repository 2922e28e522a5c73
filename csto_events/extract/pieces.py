"""Texts too long for one Doc: cut at line breaks into pieces, outputs merged back.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) because
the parser and NER need about 1 GB of temporary memory per 100,000 characters. Rather than raise that limit or truncate, a text
longer than ``max_chars`` is cut into pieces at line breaks (else after a
sentence end, else at a space, else hard), each piece runs through the
pipeline as its own Doc, and the pieces' outputs are merged back into one
line with offsets into the whole text. The label scheme's sentences never
cross a line break (``csto_line_break_sentencizer``), so a cut at a line
break never splits a span or a link.
"""
import re
from typing import Any, Dict, List, Tuple

from ..pipeline.events import Output

SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


def split_text(text: str, max_chars: int) -> List[Tuple[int, str]]:
    """``(offset, piece)`` pairs that concatenate to ``text``, every piece at most ``max_chars`` long."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    pieces, start = [], 0
    while len(text) - start > max_chars:
        end = start + max_chars
        newline = text.rfind("\n", start, end)
        if newline != -1:
            cut = newline + 1
        else:
            ends = [m.end() for m in SENTENCE_END.finditer(text, start, end)]
            if ends:
                cut = ends[-1]
            else:
                space = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
                cut = space + 1 if space > start else end
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def shift_output(output: Output, offset: int) -> Output:
    """An Output whose character offsets are moved by ``offset`` (for a piece of a longer text)."""
    if offset == 0:
        return output

    def move(span: Dict[str, Any]) -> Dict[str, Any]:
        return {**span, "start": span["start"] + offset, "end": span["end"] + offset}

    return {
        **output,
        "entities": [move(e) for e in output["entities"]],
        "events": [
            {**ev, "trigger": move(ev["trigger"]), "arguments": [move(a) for a in ev["arguments"]]}
            for ev in output["events"]
        ],
    }
