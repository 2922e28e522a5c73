"""Sentence boundaries that gold, splits and the trained pipeline all share.

The scheme forbids spans and links that cross a sentence, so "sentence" must
mean the same thing when the corpus is validated, when it is split and when
the pipeline predicts. A rule does that: spaCy's punctuation ``sentencizer``
plus a break at every line break (headlines and datelines carry no final
period). The rule runs before the parser, which respects preset boundaries.
"""
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .registration import factory

LINE_BREAK_SENTENCIZER = "csto_line_break_sentencizer"


class LineBreakSentencizer:
    """The punctuation sentencizer, then a sentence start after every line break."""

    def __init__(self) -> None:
        self.punctuation = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self.punctuation(doc)
        # One array write: setting ``token.is_sent_start`` token by token
        # rescans the doc each time, which made long texts quadratic.
        starts = doc.to_array([SENT_START])
        for token in doc[:-1]:
            if "\n" in token.text_with_ws:
                starts[token.i + 1] = 1
        doc.from_array([SENT_START], starts)
        return doc

    # Stateless: nothing to save, but spaCy's serialisation expects these.
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "LineBreakSentencizer":
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        return None

    def from_disk(self, path, *, exclude=tuple()) -> "LineBreakSentencizer":
        return self


@factory(LINE_BREAK_SENTENCIZER, assigns=["token.is_sent_start", "doc.sents"])
def make_line_break_sentencizer(nlp: Language, name: str) -> LineBreakSentencizer:
    return LineBreakSentencizer()
