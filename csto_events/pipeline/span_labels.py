"""Give a sourced entity recognizer the scheme's labels in a fixed order before training.

A component sourced from a pretrained pipeline (``en_core_web_md``'s ner) is
resumed, not initialized, so spaCy adds labels it has not seen (MISSION,
MEETING) lazily during the first update, in the iteration order of a Python
``set`` of strings. That order follows the per-process string hash seed, so
two runs with the same ``seed`` gave the new labels different output rows and
drifted apart (test Arg-C 70.3 against 73.0 in two ``make all`` runs).
Adding the labels here, in the scheme's order, after initialization and
before the first update, makes training repeat across processes.
"""
from typing import Callable, Sequence

from spacy.language import Language
from spacy.util import registry

from .scheme import SPAN_LABELS


@registry.callbacks("csto_events.add_span_labels.v1")
def make_add_span_labels(
    components: Sequence[str] = ("ner",), labels: Sequence[str] = SPAN_LABELS
) -> Callable[[Language], Language]:
    """An ``[initialize] after_init`` callback; ``add_label`` leaves a label the component has alone."""

    def add_span_labels(nlp: Language) -> Language:
        for name in components:
            pipe = nlp.get_pipe(name)
            for label in labels:
                pipe.add_label(label)
        return nlp

    return add_span_labels
