"""spaCy components, architectures and Doc extensions of the trained pipeline.

Every module here imports only spaCy, thinc and its siblings, because
``spacy package --code`` ships these files inside the pipeline's wheel.
"""
from . import architectures, attribute_ruler, event_arguments, events, ner_rules, scheme, sentences, sorted_key_vectors, span_labels, titles, triggers  # noqa: F401
