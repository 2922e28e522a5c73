"""Make written training sentences look like real copy, in training only.

The project's own texts are cleaner than the news it runs on: real pages put a
dateline, an agency tag or a ``date YYYY-MM-DD`` header in front of the first
sentence, name a person in full once and by surname alone afterwards, and
print headlines in capitals. The model misses exactly those (see the seeds'
error list in the real-news report). This augmenter rewrites a share of the
training examples in those ways; spaCy applies it to the training corpus
only (``[corpora.train.augmenter]``), never to dev or test.

Every variant is rebuilt token by token, so entity spans and the event links
in ``doc._.event_links`` (token offsets) move with the words; an added
dateline's DATE and agency ORG are labelled but never linked, as the
guidelines say. Choices come from Python's ``random``, which ``spacy train``
seeds, so a run repeats for a fixed seed.
"""
import random
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from ..pipeline.events import get_links, set_links

# Places are never labelled; agencies are ORG. Written for this project.
DATELINE_PLACES = ("YEREVAN", "MOSCOW", "ASTANA", "BAKU", "MINSK", "BISHKEK", "DUSHANBE", "TBILISI", "Yerevan", "Moscow")
AGENCIES = ("TASS", "Reuters", "AFP", "Interfax", "Kazinform", "Armenpress", "RIA Novosti", "AP", "Xinhua", "Trend")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
SHORT_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.")
# Given names (some hyphenated) and surnames from the region and beyond, for swaps within PERSON.
GIVEN_NAMES = (
    "Arman", "Gohar", "Nurlan", "Aigerim", "Tigran", "Saule", "Dmitry", "Olga", "Bakhtiyor", "Zarina",
    "Kassym-Murat", "Anna-Maria", "Jean-Luc", "Ali-Akbar", "Ruslan", "Leyla", "Giorgi", "Nino", "Farrukh", "Madina",
)
SURNAMES = (
    "Hovhannisyan", "Sarsenbayev", "Mammadova", "Kuznetsov", "Tursunov", "Abdrakhmanova", "Beridze", "Lukashevich",
    "Rakhimov", "Petrosyan", "Ismayilov", "Zhumabekova", "Sokolova", "Karimov", "Gevorgyan", "Nazarbekov",
)

Piece = Tuple[List[str], List[bool], Optional[str], int]  # words, trailing spaces, label (None: no entity), tokens it replaces


@spacy.registry.augmenters("csto_events.real_copy_augmenter.v1")
def create_real_copy_augmenter(
    dateline: float = 0.1, names: float = 0.2, surname_only: float = 0.4, headline_case: float = 0.05
) -> Callable[[Language, Example], Iterator[Example]]:
    """An augmenter yielding the example itself and, at the given rates, one rewritten copy.

    ``dateline``: share of examples given a dateline, agency tag or date header in front;
    ``names``: share whose PERSON spans are swapped for other names, of which
    ``surname_only`` use the surname alone; ``headline_case``: share upper- or
    title-cased (a headline's casing).
    """
    for name, value in (("dateline", dateline), ("names", names), ("surname_only", surname_only), ("headline_case", headline_case)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"real_copy_augmenter: {name} must be between 0 and 1, got {value}")

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        reference = example.reference
        if not len(reference):
            return
        # Most examples are left alone: the doc is cut into pieces only once a rewrite is drawn.
        pieces: Optional[List[Piece]] = None
        if random.random() < names and any(ent.label_ == "PERSON" for ent in reference.ents):
            pieces = [swap_person(p, surname_only) if p[2] == "PERSON" else p for p in doc_pieces(reference)]
        if random.random() < headline_case:
            upper = random.random() < 0.5
            pieces = [
                ([w.upper() if upper else w[:1].upper() + w[1:] for w in words], spaces, label, old)
                for words, spaces, label, old in (pieces if pieces is not None else doc_pieces(reference))
            ]
        prefix: List[Piece] = []
        if random.random() < dateline:
            prefix = dateline_pieces()
        if pieces is not None or prefix:
            yield rebuild(nlp, reference, prefix, pieces if pieces is not None else doc_pieces(reference), get_links(reference))

    return augment


def doc_pieces(doc: Doc) -> List[Piece]:
    """The doc as a list of entity spans and single non-entity tokens, in order."""
    pieces: List[Piece] = []
    starts = {ent.start: ent for ent in doc.ents}
    i = 0
    while i < len(doc):
        if i in starts:
            ent = starts[i]
            pieces.append(([t.text for t in ent], [bool(t.whitespace_) for t in ent], ent.label_, len(ent)))
            i = ent.end
        else:
            pieces.append(([doc[i].text], [bool(doc[i].whitespace_)], None, 1))
            i += 1
    return pieces


def swap_person(piece: Piece, surname_only: float) -> Piece:
    words, spaces, label, old = piece
    new = [random.choice(SURNAMES)] if random.random() < surname_only else [random.choice(GIVEN_NAMES), random.choice(SURNAMES)]
    return new, [True] * (len(new) - 1) + [spaces[-1]], label, old


def dateline_pieces() -> List[Piece]:
    """One of three real-copy openings: 'PLACE, Month D (AGENCY) -', ' date YYYY-MM-DD', 'Mon. D () –'."""
    day = random.randint(1, 28)
    month = random.randrange(12)
    kind = random.randrange(3)
    if kind == 0:
        agency = random.choice(AGENCIES).split()
        return [
            ([random.choice(DATELINE_PLACES), ","], [False, True], None, 0),
            ([MONTHS[month], str(day)], [True, True], "DATE", 0),
            (["("], [False], None, 0),
            (agency, [True] * (len(agency) - 1) + [False], "ORG", 0),
            ([")", "-"], [True, True], None, 0),
        ]
    if kind == 1:
        year = random.randint(2019, 2026)
        return [
            (["date"], [True], None, 0),
            ([str(year), "-", f"{month + 1:02d}", "-", f"{day:02d}"], [False, False, False, False, True], "DATE", 0),
        ]
    return [
        (SHORT_MONTHS[month].split() + [str(day)], [True, True], "DATE", 0),
        (["(", ")", "–"], [False, True, True], None, 0),
    ]


def rebuild(nlp: Language, reference: Doc, prefix: Sequence[Piece], pieces: Sequence[Piece], links) -> Example:
    """A new example from pieces; the reference's entities and links follow their tokens."""
    words: List[str] = []
    spaces: List[bool] = []
    ents: List[str] = []
    old_to_new: Dict[int, int] = {}  # old token boundary -> new token boundary
    old = 0
    for piece_words, piece_spaces, label, replaces in list(prefix) + list(pieces):
        if replaces:
            old_to_new[old] = len(words)
        words.extend(piece_words)
        spaces.extend(piece_spaces)
        ents.extend([f"B-{label}"] + [f"I-{label}"] * (len(piece_words) - 1) if label else ["O"] * len(piece_words))
        old += replaces
        if replaces:
            old_to_new[old] = len(words)
    doc = Doc(nlp.vocab, words=words, spaces=spaces, ents=ents)
    set_links(doc, [(old_to_new[ts], old_to_new[te], old_to_new[as_], old_to_new[ae], role) for ts, te, as_, ae, role in links])
    for key in ("id", "article", "meta"):
        if key in reference.user_data:
            doc.user_data[key] = reference.user_data[key]
    return Example(nlp.make_doc(doc.text), doc)
