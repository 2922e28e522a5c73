"""Training: configs in configs/, run through spaCy's own ``spacy train``."""
