"""The trainable event-argument component: a role (or none) for each candidate pair.

It reads ``doc.ents`` (triggers and entities from the components before it)
and writes ``doc._.event_links``. In training it learns from the gold
entities by default (``use_gold_ents``), as the arguments of a trigger the
tagger missed cannot be learned anyway; at prediction time it links whatever
the pipeline found, so its scores on the dev set are end to end.
"""
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer
from thinc.types import Floats2d

from .candidates import Candidate, candidate_pairs
from .argument_scores import argument_counts, output_arguments
from .datelines import is_dateline_date
from .titles import org_in_person_title
from .events import doc_to_output, get_links, set_links
from .registration import factory
from .scheme import ROLES, allowed_roles

NONE = "NONE"

DEFAULT_MODEL = """
[model]
@architectures = "csto_events.EventArgumentScorer.v1"
hidden_width = 128
feature_width = 64
feature_rows = 50000
dropout = 0.2

[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
depth = 2
window_size = 1
maxout_pieces = 3
"""


@factory(
    "csto_event_arguments",
    requires=["doc.ents", "token.dep", "token.is_sent_start"],
    assigns=["doc._.event_links"],
    default_config={
        "model": Config().from_str(DEFAULT_MODEL)["model"],
        "use_gold_ents": True,
        "extra_predicted_ents": False,
        "unlink_dateline_dates": False,
        "unlink_title_orgs": False,
        "scorer": {"@scorers": "csto_events.event_argument_scorer.v1"},
    },
    default_score_weights={"arg_c_f": 1.0, "arg_i_f": 0.0, "arg_c_p": 0.0, "arg_c_r": 0.0},
)
def make_event_arguments(
    nlp: Language,
    name: str,
    model: Model,
    use_gold_ents: bool,
    extra_predicted_ents: bool,
    unlink_dateline_dates: bool,
    unlink_title_orgs: bool,
    scorer: Optional[Callable],
) -> "EventArgumentLinker":
    """``extra_predicted_ents``: in training, besides the gold entities, also pair the
    predicted spans that overlap no gold span (all NONE), so the component sees the
    spurious triggers and entities it will meet at prediction time; needs the ner in
    ``[training] annotating_components``. ``unlink_dateline_dates``: never link a
    header, dateline or page DATE (guidelines, decision 36; pipeline/datelines.py).
    ``unlink_title_orgs``: never link an ORG inside a person's title ("CSTO Secretary
    General Tasmagambetov"; label scheme; pipeline/titles.py)."""
    return EventArgumentLinker(
        nlp.vocab, model, name, use_gold_ents=use_gold_ents, extra_predicted_ents=extra_predicted_ents,
        unlink_dateline_dates=unlink_dateline_dates, unlink_title_orgs=unlink_title_orgs, scorer=scorer,
    )


class EventArgumentLinker(TrainablePipe):
    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "event_arguments",
        *,
        use_gold_ents: bool = True,
        extra_predicted_ents: bool = False,
        unlink_dateline_dates: bool = False,
        unlink_title_orgs: bool = False,
        scorer: Optional[Callable] = None,
    ) -> None:
        if extra_predicted_ents and not use_gold_ents:
            raise ValueError(f"[{name}] extra_predicted_ents adds predicted spans to the gold ones: it needs use_gold_ents = true")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: Dict[str, object] = {
            "labels": list(ROLES),
            "use_gold_ents": use_gold_ents,
            "extra_predicted_ents": extra_predicted_ents,
            "unlink_dateline_dates": unlink_dateline_dates,
            "unlink_title_orgs": unlink_title_orgs,
        }

    @property
    def labels(self) -> Tuple[str, ...]:
        return tuple(self.cfg["labels"])  # type: ignore[arg-type]

    @property
    def classes(self) -> Tuple[str, ...]:
        """The model's output columns: NONE, then the roles in the order saved in ``cfg``.

        Read from ``cfg`` rather than from the scheme's ``ROLES``, as spaCy's
        textcat and spancat do, so a pipeline saved with another role order
        (or by older code) still reads each column as the role it was trained on.
        """
        return (NONE,) + self.labels

    def predict(self, docs: Iterable[Doc]):
        inputs = [(doc, candidate_pairs(doc)) for doc in docs]
        if not any(pairs for _, pairs in inputs):
            return inputs, self.model.ops.alloc2f(0, len(self.classes))
        return inputs, self.model.predict(inputs)

    def set_annotations(self, docs: Iterable[Doc], predictions) -> None:
        inputs, scores = predictions
        scores = self.model.ops.to_numpy(scores)
        classes = self.classes
        if scores.shape[0] and scores.shape[1] != len(classes):
            raise ValueError(
                f"[{self.name}] the model scores {scores.shape[1]} classes but cfg['labels'] names "
                f"{len(classes)} ({', '.join(classes)}): the saved model and its cfg do not match"
            )
        unlink_datelines = bool(self.cfg.get("unlink_dateline_dates", False))
        unlink_titles = bool(self.cfg.get("unlink_title_orgs", False))
        row = 0
        for doc, pairs in inputs:
            links = []
            persons = [e for e in doc.ents if e.label_ == "PERSON"] if unlink_titles else []
            for ts, te, tl, as_, ae, al in pairs:
                role = best_allowed_role(scores[row], tl, al, classes)
                row += 1
                if role is None:
                    continue
                if unlink_datelines and role == "TIME":
                    argument = doc[as_:ae]
                    if is_dateline_date(doc.text, argument.start_char, argument.end_char):
                        continue
                if unlink_titles and al == "ORG" and org_in_person_title(doc[as_:ae], persons):
                    continue
                links.append((ts, te, as_, ae, role))
            set_links(doc, links)

    def _training_inputs(self, examples: Iterable[Example]) -> Tuple[List[Tuple[Doc, List[Candidate]]], numpy.ndarray]:
        inputs, truths = [], []
        column = {name: i for i, name in enumerate(self.classes)}
        for eg in examples:
            predicted = eg.predicted
            if self.cfg["use_gold_ents"]:
                ents = _aligned_spans(predicted, eg.reference.ents)
                if self.cfg.get("extra_predicted_ents"):
                    ents = _with_unmatched(len(predicted), ents, predicted.ents)
            else:
                ents = list(predicted.ents)
            pairs = candidate_pairs(predicted, ents)
            gold = _gold_roles(eg)
            for ts, te, tl, as_, ae, al in pairs:
                trigger, argument = predicted[ts:te], predicted[as_:ae]
                key = (trigger.start_char, trigger.end_char, argument.start_char, argument.end_char)
                role = gold.get(key, NONE)
                if role not in column:
                    raise ValueError(f"[{self.name}] gold role {role!r} is not one of the component's labels {self.labels}")
                truths.append(column[role])
            inputs.append((predicted, pairs))
        return inputs, numpy.asarray(truths, dtype="i")

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optional[Optimizer] = None,
        losses: Optional[Dict[str, float]] = None,
    ) -> Dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "EventArgumentLinker.update")
        inputs, truths = self._training_inputs(examples)
        if len(truths) == 0:
            return losses
        scores, backprop = self.model.begin_update(inputs)
        loss, d_scores = self._loss(scores, truths)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def _loss(self, scores: Floats2d, truths: numpy.ndarray) -> Tuple[float, Floats2d]:
        target = self.model.ops.alloc2f(*scores.shape)
        target[numpy.arange(len(truths)), truths] = 1.0
        d_scores = (scores - target) / scores.shape[0]
        probs = self.model.ops.to_numpy(scores)[numpy.arange(len(truths)), truths]
        loss = float(-numpy.log(numpy.clip(probs, 1e-9, 1.0)).sum())
        return loss, d_scores

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> Tuple[float, Floats2d]:
        _, truths = self._training_inputs(examples)
        return self._loss(scores, truths)

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None) -> None:
        validate_get_examples(get_examples, "EventArgumentLinker.initialize")
        sample: List[Example] = []
        for eg in get_examples():
            sample.append(eg)
            if len(sample) >= 50:
                break
        inputs, truths = self._training_inputs(sample)
        if not len(truths):
            raise ValueError(f"[{self.name}] no candidate pairs in the first 50 training examples")
        output = self.model.get_ref("output_layer")
        if not output.has_dim("nO"):
            output.set_dim("nO", len(self.classes))
        self.model.initialize(X=inputs, Y=self.model.ops.alloc2f(len(truths), len(self.classes)))

    def add_label(self, label: str) -> int:
        raise NotImplementedError("the roles are fixed by the label scheme (pipeline/scheme.py)")


def validate_examples(examples: List[Example], method: str) -> None:
    if not all(isinstance(eg, Example) for eg in examples):
        raise TypeError(f"{method} expects a list of Example objects")


def best_allowed_role(
    row: numpy.ndarray, trigger_label: str, argument_label: str, classes: Sequence[str]
) -> Optional[str]:
    """The highest-scoring class among NONE and the roles the scheme allows for this pair.

    ``classes`` names the columns of ``row`` (the component's ``classes``); a
    role the scheme allows but the model was not trained on is never chosen.
    """
    allowed = [c for c in (NONE,) + allowed_roles(trigger_label, argument_label) if c in classes]
    best = max(allowed, key=lambda c: row[classes.index(c)])
    return None if best == NONE else best


def _aligned_spans(doc: Doc, spans: Iterable[Span]) -> List[Span]:
    aligned = []
    for span in spans:
        new = doc.char_span(span.start_char, span.end_char, label=span.label_)
        if new is not None:
            aligned.append(new)
    return aligned


def _with_unmatched(n_tokens: int, gold: List[Span], predicted: Iterable[Span]) -> List[Span]:
    """The gold spans plus the predicted spans that overlap none of them, in document order.

    A predicted span that overlaps a gold one is left out (the gold span already
    stands there), so a pair is never trained twice on the same words.
    """
    taken = numpy.zeros(n_tokens, dtype=bool)
    for span in gold:
        taken[span.start : span.end] = True
    extra = [s for s in predicted if not taken[s.start : s.end].any()]
    return sorted(gold + extra, key=lambda s: (s.start, s.end))


def _char_links(doc: Doc) -> Dict[Tuple[int, int, int, int], str]:
    links = {}
    for ts, te, as_, ae, role in get_links(doc):
        trigger, argument = doc[ts:te], doc[as_:ae]
        links[(trigger.start_char, trigger.end_char, argument.start_char, argument.end_char)] = role
    return links


def _gold_roles(eg: Example) -> Dict[Tuple[int, int, int, int], str]:
    return _char_links(eg.reference)


@registry.scorers("csto_events.event_argument_scorer.v1")
def make_event_argument_scorer() -> Callable:
    return score_event_arguments


def score_event_arguments(examples: Iterable[Example], **kwargs) -> Dict[str, object]:
    """Arg-I and Arg-C, overall and Arg-C per role, counted as the evaluation suite counts them
    (``argument_scores``). Every gold link counts: a gold argument whose trigger or entity
    was not predicted is a miss."""
    totals = {name: [0, 0, 0, 0] for name in ("arg_i", "arg_c") + tuple(f"arg_c.{role}" for role in ROLES)}
    for eg in examples:
        gold = output_arguments(doc_to_output(eg.reference))
        pred = output_arguments(doc_to_output(eg.predicted))
        for name, counts in argument_counts(gold, pred).items():
            if name in totals:
                totals[name] = [a + b for a, b in zip(totals[name], counts)]
    prf = {name: _prf(counts) for name, counts in totals.items()}
    return {
        "arg_i_p": prf["arg_i"].precision, "arg_i_r": prf["arg_i"].recall, "arg_i_f": prf["arg_i"].fscore,
        "arg_c_p": prf["arg_c"].precision, "arg_c_r": prf["arg_c"].recall, "arg_c_f": prf["arg_c"].fscore,
        "arg_c_per_role": {role: prf[f"arg_c.{role}"].to_dict() for role in ROLES},
    }


def _prf(counts: Sequence[int]) -> PRFScore:
    """Exact-match counts (matched, predicted, matched, gold) as spaCy's PRFScore."""
    matched, predicted, _, gold = counts
    return PRFScore(tp=matched, fp=predicted - matched, fn=gold - matched)
