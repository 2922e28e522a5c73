"""Cross-validation and the learning curve, with real (tiny) training runs of the project's trainer.

The config is a deliberately tiny pipeline (sentence rule, a 16-wide NER and
the event-argument component) trained for a few steps, so the whole module
stays well under a minute on two cores; what is tested is the bookkeeping:
folds grouped by article, every sentence predicted once per seed, the spread
over seeds, models cleaned up, shares of whole articles.
"""
import pytest

import csto_events.pipeline  # noqa: F401  (factories for the tiny config)
from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.markup import parse
from csto_events.corpus.splits import sentence_docs
from csto_events.evaluation.bootstrap import BootstrapSettings
from csto_events.evaluation.crossval import (
    TrainingSettings, cross_validate, inner_dev_split, learning_curve, sample_share,
)
from csto_events.evaluation.documents import gold_from_docs, read_predictions
from csto_events.evaluation.predict import SystemRun
from csto_events.evaluation.report import render_html, render_markdown
from csto_events.evaluation.suite import build_report

ARTICLE = """# id: art-{n}

The [CSTO]{{ORG:c}} sent a [monitoring mission]{{MISSION:m}} led by [{person}]{{PERSON:p}} on [{day}]{{DATE:d}}.
>> m AGENT c
>> m LEADER p
>> m TIME d

[{person}]{{PERSON:q}} met [OSCE]{{ORG:o}} officials at a [summit]{{MEETING:s}}.
>> s PARTICIPANT q
>> s PARTICIPANT o

No one else came.
"""
PEOPLE = [("Zas", "Friday"), ("Ivanov", "Monday"), ("Sadykova", "Tuesday"), ("Petrov", "May 4"), ("Kim", "Sunday")]


@pytest.fixture(scope="module")
def sentences():
    records = [parse(ARTICLE.format(n=n, person=p, day=d)) for n, (p, d) in enumerate(PEOPLE)]
    return [s for doc in records_to_docs(records) for s in sentence_docs(doc)]


@pytest.fixture(scope="module")
def config(tiny_config_file):
    return tiny_config_file


def test_inner_dev_split_and_shares_keep_articles_whole(sentences):
    train, dev = inner_dev_split(sentences, share=0.3)
    articles = lambda docs: {d.user_data["article"] for d in docs}  # noqa: E731
    assert train and dev and not articles(train) & articles(dev)
    assert len(train) + len(dev) == len(sentences)
    half = sample_share(sentences, 0.5, seed=0)
    assert len(half) >= len(sentences) / 2 and all(
        sum(d.user_data["article"] == a for d in half) == 3 for a in articles(half))
    assert sample_share(sentences, 0.5, seed=0) == half
    assert len(sample_share(sentences, 1.0, seed=3)) == len(sentences)


def test_cross_validation_with_real_training(sentences, config, tmp_path):
    settings = TrainingSettings(config, tmp_path / "work", seeds=(0, 1, 2), overrides={"training.max_steps": 10, "training.eval_frequency": 10})
    cv = cross_validate(sentences, settings, n_folds=2)
    assert cv["runs"] == 6 and [r["seed"] for r in cv["per_seed"]] == [0, 1, 2]
    for seed in (0, 1, 2):  # every sentence is predicted exactly once per seed
        assert sum(r["test_texts"] for r in cv["per_fold"] if r["seed"] == seed) == len(sentences)
    summary = cv["summary"]["entities.strict"]
    assert summary["n"] == 3 and summary["min"] <= summary["mean"] <= summary["max"] and summary["sd"] >= 0
    assert "summary_gold_input" in cv and cv["summary_gold_input"]["arg_c"]["n"] == 3
    assert not (tmp_path / "work" / "cv-fold0-seed0" / "model").exists()  # models removed after scoring
    assert (tmp_path / "work" / "cv-fold0-seed0" / "train.spacy").exists()
    for seed in (0, 1, 2):  # the pooled out-of-fold predictions, one per sentence, for rescoring later
        stored = read_predictions(tmp_path / "work" / f"cv-predictions-seed{seed}.jsonl")
        assert sorted(p["id"] for p in stored) == sorted(str(d.user_data["id"]) for d in sentences)

    test_docs = sentences[:3]
    curve = learning_curve(sentences[3:], sentences[3:6], gold_from_docs(test_docs, "test"),
                           TrainingSettings(config, tmp_path / "work", seeds=(0,), overrides={"training.max_steps": 5, "training.eval_frequency": 5}),
                           shares=(0.5, 1.0))
    sizes = [p["train_texts"]["mean"] for p in curve["points"]]
    assert curve["shares"] == [0.5, 1.0] and sizes[0] < sizes[1] == len(sentences) - 3
    assert "gold_input.arg_c" in curve["points"][0]["f"]

    gold = gold_from_docs(test_docs, "test")
    report = build_report(gold, [SystemRun("gold", "gold copy", ("entities", "triggers", "arguments"), gold.outputs)],
                          BootstrapSettings(resamples=20))
    report["cross_validation"], report["learning_curve"] = cv, curve
    md = render_markdown(report)
    assert "## Cross-validation" in md and "2 folds grouped by article" in md and "## Learning curve" in md
    assert "| 50% |" in md and "(6 trainings," in md
    assert render_html(report).count("data:image/png;base64,") == 3


def test_cross_validation_needs_three_seeds(sentences, config, tmp_path):
    with pytest.raises(ValueError, match="at least 3 training seeds"):
        cross_validate(sentences, TrainingSettings(config, tmp_path, seeds=(0, 1)), n_folds=2)
