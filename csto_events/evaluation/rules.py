"""The rule components of the baselines: an entity label filter and rule arguments.

They live apart from ``baselines.py`` (which builds and runs the baseline
rows) so that loading a saved rule pipeline needs only these factories, not
the baseline runner and its imports of the prediction code.
"""
from typing import Dict, List, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..pipeline.candidates import _sentence_ids as sentence_ids
from ..pipeline.events import set_links
from ..pipeline.scheme import ENTITY_LABELS, TRIGGER_LABELS, allowed_roles

KEEP_LABELS = "csto_keep_entity_labels"
RULE_ARGUMENTS = "csto_rule_arguments"


def pair_key(trigger_label: str, entity_label: str) -> str:
    return f"{trigger_label}>{entity_label}"


class KeepEntityLabels:
    """Keep only the scheme's entity labels from a general-purpose NER."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = set(labels)

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [ent for ent in doc.ents if ent.label_ in self.labels]
        return doc


@Language.factory(KEEP_LABELS, assigns=["doc.ents"], default_config={"labels": list(ENTITY_LABELS)})
def make_keep_entity_labels(nlp: Language, name: str, labels: List[str]) -> KeepEntityLabels:
    return KeepEntityLabels(labels)


class RuleArguments:
    """Link every entity in a trigger's sentence with the role learned for the label pair.

    "The trigger's sentence" is counted as the trained component's candidates
    count it (``pipeline/candidates.py``), so both systems link the same pairs.
    """

    def __init__(self, roles: Dict[str, str]) -> None:
        for key, role in roles.items():
            trigger_label, _, entity_label = key.partition(">")
            if role not in allowed_roles(trigger_label, entity_label):
                raise ValueError(f"rule role {role!r} for {key!r} is not allowed by the role table")
        self.roles = dict(roles)

    def __call__(self, doc: Doc) -> Doc:
        sentence = sentence_ids(doc)
        triggers = [e for e in doc.ents if e.label_ in TRIGGER_LABELS]
        entities = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
        links = []
        for trigger in triggers:
            for entity in entities:
                role = self.roles.get(pair_key(trigger.label_, entity.label_))
                if role and sentence[trigger.start] == sentence[entity.start]:
                    links.append((trigger.start, trigger.end, entity.start, entity.end, role))
        set_links(doc, links)
        return doc


@Language.factory(
    RULE_ARGUMENTS,
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["doc._.event_links"],
    default_config={"roles": {}},
)
def make_rule_arguments(nlp: Language, name: str, roles: Dict[str, str]) -> RuleArguments:
    return RuleArguments(roles)
