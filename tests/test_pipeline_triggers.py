"""The trigger lexicon: v2 phrase patterns match what v1 token patterns matched, and hyphenated kinds."""
import spacy

from csto_events.pipeline.triggers import trigger_patterns, trigger_phrase_patterns

TEXT = "The OSCE sent a fact-finding mission and a monitoring team; ministers met for closed-door talks and a Press Briefing."


def ruler_ents(patterns, attr):
    """On a blank pipeline: the verb rule needs part-of-speech tags, so it is left out here."""
    nlp = spacy.blank("en")
    words_only = [p for p in patterns if "POS" not in str(p["pattern"])]
    assert len(words_only) == len(patterns) - 1
    nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": attr}).add_patterns(words_only)
    return [(e.text, e.label_) for e in nlp(TEXT).ents]


def test_v2_matches_hyphenated_kinds_and_ignores_case():
    assert ruler_ents(trigger_phrase_patterns(), "LOWER") == [
        ("fact-finding mission", "MISSION"), ("monitoring team", "MISSION"), ("closed-door talks", "MEETING"), ("Press Briefing", "MEETING"),
    ]


def test_v1_is_unchanged_for_pipelines_trained_with_it():
    assert ruler_ents(trigger_patterns(), None) == [
        ("mission", "MISSION"), ("monitoring team", "MISSION"), ("talks", "MEETING"), ("Press Briefing", "MEETING"),
    ]
