"""The token-cached attribute ruler: spaCy's AttributeRuler's annotations, matched once per kind of token."""
import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from csto_events.pipeline.attribute_ruler import ATTRIBUTE_RULER, OTHER, TokenCachedAttributeRuler
from csto_events.training.pretrained import md_path

# One pattern of every form md's ruler uses: a tag, a word and a tag, a list, a
# NOT_IN, a dependency label, whitespace, a regular expression, two tokens.
PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past"}},
    {"patterns": [[{"LOWER": "met", "TAG": "VBD"}]], "attrs": {"LEMMA": "meet"}},
    {"patterns": [[{"LOWER": {"IN": ["csto", "nato"]}}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"TAG": "NN", "LOWER": {"NOT_IN": ["summit"]}}]], "attrs": {"MORPH": "Number=Sing"}},
    {"patterns": [[{"DEP": "nsubj"}]], "attrs": {"LEMMA": "SUBJECT"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"LOWER": {"REGEX": "^mission"}}]], "attrs": {"POS": "NOUN", "LEMMA": "mission"}},
    {"patterns": [[{"LOWER": "peace"}, {"LOWER": "talks"}]], "attrs": {"LEMMA": "talk"}, "index": 1},
]
WORDS = ["The", "CSTO", "summit", "met", "\n", "in", "Minsk", ";", "peace", "talks", "met", "missions", "csto", "envoy"]
TAGS = ["DT", "NNP", "NN", "VBD", "_SP", "IN", "NNP", ":", "NN", "NNS", "VBD", "NNS", "NNP", "NN"]
DEPS = ["det", "compound", "nsubj", "ROOT", "dep", "prep", "pobj", "punct", "compound", "nsubj", "conj", "dobj", "compound", "dobj"]


def _doc(vocab) -> Doc:
    return Doc(vocab, words=WORDS, tags=TAGS, deps=DEPS, heads=[3, 2, 3, 3, 3, 3, 5, 3, 9, 10, 3, 10, 13, 10])


def _annotations(doc: Doc):
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


def _rulers(patterns):
    nlp = spacy.blank("en")
    stock = AttributeRuler(nlp.vocab)
    stock.add_patterns(patterns)
    cached = TokenCachedAttributeRuler(nlp.vocab)
    cached.add_patterns(patterns)
    return nlp, stock, cached


def test_every_pattern_form_gives_spacys_annotations():
    nlp, stock, cached = _rulers(PATTERNS)
    expected, got = stock(_doc(nlp.vocab)), cached(_doc(nlp.vocab))
    assert _annotations(got) == _annotations(expected)
    assert stock.match(_doc(nlp.vocab)) == cached.match(_doc(nlp.vocab)), "the same match tuples, in the same order"
    # The rules really fired, so the comparison compares something.
    by_word = {t.text: t for t in expected}
    assert by_word["met"].lemma_ == "meet" and by_word["summit"].lemma_ == "SUBJECT" and by_word["\n"].pos_ == "SPACE"
    assert by_word["envoy"].morph.get("Number") == ["Sing"] and not by_word["summit"].morph.get("Number")
    assert expected[9].lemma_ == "talk" and by_word["missions"].lemma_ == "mission"


def test_patterns_are_split_by_form_and_the_cache_keys_words_the_patterns_never_name_together():
    nlp, _, cached = _rulers(PATTERNS)
    # The regular expression and the two-token pattern run over the whole Doc; the rest are cached.
    assert (len(cached.token_matcher), len(cached.doc_matcher)) == (7, 2)
    cached(_doc(nlp.vocab))
    lowers = {kind[0] for kind in cached._cache}
    assert OTHER in lowers, "unnamed words share one key"
    assert nlp.vocab.strings["met"] in lowers and nlp.vocab.strings["minsk"] not in lowers
    kinds = len(cached._cache)
    cached(_doc(nlp.vocab))
    assert len(cached._cache) == kinds, "a second pass asks the Matcher nothing new"


def test_later_patterns_still_win_and_clear_forgets_everything():
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "first"}},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "second"}},
    ]
    nlp, stock, cached = _rulers(patterns)
    assert _annotations(cached(_doc(nlp.vocab))) == _annotations(stock(_doc(nlp.vocab)))
    assert cached(_doc(nlp.vocab))[2].lemma_ == "second"
    cached.clear()
    assert len(cached.token_matcher) == 0 and not cached._cache
    assert cached(_doc(nlp.vocab))[2].lemma_ == ""


def test_the_factory_loads_a_saved_attribute_ruler(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(PATTERNS)
    nlp.to_disk(tmp_path / "stock")
    cached = spacy.load(tmp_path / "stock", config={"components": {"attribute_ruler": {"factory": ATTRIBUTE_RULER}}})
    ruler = cached.get_pipe("attribute_ruler")
    assert isinstance(ruler, TokenCachedAttributeRuler) and len(ruler.patterns) == len(PATTERNS)
    assert _annotations(ruler(_doc(cached.vocab))) == _annotations(nlp.get_pipe("attribute_ruler")(_doc(nlp.vocab)))


@pytest.mark.slow
def test_md_annotates_news_exactly_as_with_spacys_ruler(fixture_texts):
    stock = spacy.load(md_path())
    cached = spacy.load(md_path(), config={"components": {"attribute_ruler": {"factory": ATTRIBUTE_RULER}}})
    ruler = cached.get_pipe("attribute_ruler")
    assert len(ruler.token_matcher) > 150 and len(ruler.doc_matcher) < 15, "md's tag map and morph rules are cached"
    # md's multi-token and dependency rules: "gonna", "let's", "y'all", "there is".
    texts = fixture_texts + ["We're gonna meet, let's see; y'all know there is a summit.", "Ain't it odd?  It is."]
    for a, b in zip(stock.pipe(texts), cached.pipe(texts)):
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in a] == [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in b], a.text[:60]
