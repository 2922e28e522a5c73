"""Real-news evaluation with real (tiny) trainings: fold construction, pooling, resuming, the README section.

The data is a handful of written articles and three "seed" articles
(``source`` = ``seed``) of the same shape, converted like the corpus; the
config is the tiny one of the cross-validation tests, trained for a few
steps. What is tested is the bookkeeping, not the scores.
"""
import json

import pytest
from typer.testing import CliRunner

import csto_events.pipeline  # noqa: F401  (factories for the tiny config)
from csto_events.cli import app
from csto_events.corpus.convert import read_docbin, records_to_docs, write_docbin
from csto_events.corpus.markup import parse
from csto_events.corpus.splits import is_seed, sentence_docs
from csto_events.evaluation.bootstrap import BootstrapSettings
from csto_events.evaluation.crossval import TrainingSettings, f_scores
from csto_events.evaluation.documents import gold_from_docs
from csto_events.evaluation.metrics import corpus_counts
from csto_events.evaluation.real_news import (
    SCORES_FILE, classify_errors, error_list, evaluate_real_news, leave_one_seed_out, load_data, plan, pool,
    readme_section, render_markdown, seed_mean_intervals, update_readme, write,
)

runner = CliRunner()

ARTICLE = """# id: {id}
# source: {source}

The [CSTO]{{ORG:c}} sent a [monitoring mission]{{MISSION:m}} led by [{person}]{{PERSON:p}} on [{day}]{{DATE:d}}.
>> m AGENT c
>> m LEADER p
>> m TIME d

[{person}]{{PERSON:q}} later joined [OSCE]{{ORG:o}} envoys at the [talks]{{MEETING:s}}.
>> s PARTICIPANT q
>> s PARTICIPANT o
"""
OWN = [("own-1", "Zas", "Friday"), ("own-2", "Ivanov", "Monday"), ("own-3", "Petrov", "May 4"), ("own-4", "Kim", "Sunday")]
SEEDS = [("000_a.txt", "Sadykova", "Tuesday"), ("001_b.txt", "Harutyunyan", "June 2"), ("002_c.txt", "Lee", "Saturday")]
OVERRIDES = {"training.max_steps": 6, "training.eval_frequency": 3}


def _sentences(rows, source):
    records = [parse(ARTICLE.format(id=i, source=source, person=p, day=d)) for i, p, d in rows]
    return [s for doc in records_to_docs(records) for s in sentence_docs(doc)]


def write_data(folder, seeds_in_dev=False):
    own, seeds = _sentences(OWN, "extra"), _sentences(SEEDS, "seed")
    train = [s for s in own if s.user_data["article"] in ("own-1", "own-2", "own-3")] + seeds
    dev = [s for s in own if s.user_data["article"] == "own-4"] + (seeds[:1] if seeds_in_dev else [])
    write_docbin(train, folder / "train.spacy")
    write_docbin(dev, folder / "dev.spacy")
    write_docbin(own[:1], folder / "test.spacy")
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def config(tiny_config_file):
    return tiny_config_file


@pytest.fixture(scope="module")
def evaluated(data_dir, config, tmp_path_factory):
    work = tmp_path_factory.mktemp("work")
    settings = TrainingSettings(config, work, seeds=(0, 1), overrides=dict(OVERRIDES))
    messages = []
    report = evaluate_real_news(load_data(data_dir), settings, bootstrap=BootstrapSettings(resamples=50, unit="text"),
                                progress=messages.append)
    return settings, report, messages


def test_plan_holds_out_each_seed_once_and_trains_on_the_others():
    articles = ["000_a.txt", "001_b.txt", "002_c.txt"]
    runs = plan(articles, (0, 1, 2))
    own = [r for r in runs if r.part == "a"]
    loso = [r for r in runs if r.part == "b"]
    assert len(own) == 3 and all(r.train_seeds == () and r.held_out == tuple(articles) for r in own)
    assert len(loso) == 9 and len({r.name for r in runs}) == len(runs)
    for run in loso:
        assert len(run.held_out) == 1 and run.held_out[0] not in run.train_seeds
        assert sorted(run.train_seeds + run.held_out) == articles
    for seed in (0, 1, 2):
        assert sorted(r.held_out[0] for r in loso if r.seed == seed) == articles
    assert [r.part for r in plan(articles, (0,), ("b",))] == ["b"] * 3
    with pytest.raises(ValueError, match="at least 2 seed articles"):
        plan(articles[:1], (0,), ("b",))
    with pytest.raises(ValueError, match="parts must be"):
        plan(articles, (0,), ("c",))


def test_load_data_separates_seeds_and_refuses_a_seed_outside_train(data_dir, tmp_path):
    data = load_data(data_dir)
    assert data.seed_articles == ["000_a.txt", "001_b.txt", "002_c.txt"]
    assert all(is_seed(d) for d in data.seeds) and not any(is_seed(d) for d in data.own_train + data.own_dev)
    assert {d.user_data["article"] for d in data.own_train} == {"own-1", "own-2", "own-3"}
    leaked = write_data(tmp_path / "leaked", seeds_in_dev=True)
    with pytest.raises(ValueError, match=r"dev.spacy: seed article\(s\) 000_a.txt in dev"):
        load_data(leaked)
    none = tmp_path / "none"
    write_docbin(_sentences(OWN, "extra"), none / "train.spacy")
    write_docbin(_sentences(OWN[:1], "extra"), none / "dev.spacy")
    write_docbin(_sentences(OWN[:1], "extra"), none / "test.spacy")
    with pytest.raises(ValueError, match="no sentences from seed articles"):
        load_data(none)
    with pytest.raises(FileNotFoundError, match="corpus convert"):
        load_data(tmp_path / "missing")


def _output(text, entities, events=()):
    return {"id": "t", "text": text, "entities": [{"start": s, "end": e, "label": l} for s, e, l in entities],
            "events": [{"type": typ, "trigger": {"start": ts, "end": te},
                        "arguments": [{"start": s, "end": e, "role": r} for s, e, r in args]} for typ, ts, te, args in events]}


def test_errors_are_classified_by_kind():
    text = "The CSTO sent a monitoring mission led by Anatoly Sidorov on Monday to Yerevan."
    at = lambda word: (text.index(word), text.index(word) + len(word))  # noqa: E731
    csto, mission, person, monday = at("CSTO"), at("monitoring mission"), at("Anatoly Sidorov"), at("Monday")
    gold = _output(text, [(*csto, "ORG"), (*mission, "MISSION"), (*person, "PERSON"), (*monday, "DATE")],
                   [("MISSION", *mission, [(*csto, "AGENT"), (*person, "LEADER"), (*monday, "TIME")])])
    sidorov, yerevan = at("Sidorov"), at("Yerevan")
    pred = _output(text, [(*csto, "PERSON"), (*mission, "MISSION"), (*sidorov, "PERSON"), (*yerevan, "DATE")],
                   [("MISSION", *mission, [(*csto, "PARTICIPANT"), (*yerevan, "TIME")])])
    kinds = {(e["what"], e["label"], e["kind"]) for e in classify_errors(gold, pred)}
    assert kinds == {
        ("span", "ORG", "wrong label"), ("span", "PERSON", "boundary"), ("span", "DATE", "missed"),
        ("span", "DATE", "spurious"), ("argument", "AGENT", "wrong role"), ("argument", "LEADER", "missed"),
        ("argument", "TIME", "missed"), ("argument", "TIME", "spurious"),
    }
    listed = error_list([gold], [pred], n_examples=1)
    assert listed["spans"]["DATE"] == {"missed": 1, "boundary": 0, "wrong label": 0, "spurious": 1}
    assert listed["arguments"]["LEADER"] == {"missed": 1, "wrong role": 0, "spurious": 0, "missed: span not found": 1}
    assert listed["arguments"]["AGENT"]["wrong role"] == 1
    assert [e["gold"] for e in listed["examples"]["span:boundary"]] == ["Anatoly Sidorov"]
    assert listed["examples"]["span:boundary"][0]["predicted"] == "Sidorov [PERSON]"
    assert classify_errors(gold, gold) == []


def test_bootstrap_of_the_seed_mean(data_dir):
    gold = gold_from_docs(load_data(data_dir).seeds, "seeds")
    perfect = corpus_counts(gold.outputs, gold.outputs)
    empty = corpus_counts(gold.outputs, [{**o, "entities": [], "events": []} for o in gold.outputs])
    keys = gold.ids
    settings = BootstrapSettings(resamples=30, unit="text")
    assert seed_mean_intervals([perfect, perfect], keys, settings, ["arg_c"]) == {"arg_c": [1.0, 1.0]}
    assert seed_mean_intervals([perfect, empty], keys, settings, ["arg_c"]) == {"arg_c": [0.5, 0.5]}


def test_real_trainings_fold_data_pooling_and_report(evaluated, data_dir):
    settings, report, messages = evaluated
    data = load_data(data_dir)
    assert len(report["runs"]) == 8 and not any(r["reused"] for r in report["runs"])  # 2 seeds x (1 + 3 folds)
    assert messages[0].startswith("[1/8] (a) own texts only, training seed 0")
    for run in report["runs"]:
        folder = settings.work_dir / run["name"]
        train = {d.user_data["article"] for d in read_docbin(folder / "train.spacy")}
        dev = read_docbin(folder / "dev.spacy")
        assert {"own-1", "own-2", "own-3"} <= train and not any(is_seed(d) for d in dev)
        seeds_in_train = train & set(data.seed_articles)
        if run["part"] == "a":
            assert seeds_in_train == set()
        else:  # the held-out seed never trains, the other seeds always do
            assert seeds_in_train == set(data.seed_articles) - set(run["held_out"])
        assert not (folder / "model").exists()
    gold = gold_from_docs(data.seeds, "seeds")
    for seed in (0, 1):  # pooled: each seed sentence scored once, by the fold that held its article out
        stored = [json.loads((settings.work_dir / r["name"] / SCORES_FILE).read_text())
                  for r in report["runs"] if r["part"] == "b" and r["seed"] == seed]
        assert sorted(i for s in stored for i in (p["id"] for p in s["predictions"])) == sorted(gold.ids)
        by_hand = f_scores(corpus_counts(gold.outputs, pool(stored, gold)))
        row = next(r for r in report["parts"]["b"]["per_seed"] if r["seed"] == seed)
        assert row["f"] == by_hand and row["runs"] == 3
    for part in ("a", "b"):
        summary = report["parts"][part]["summary"]["entities.strict"]
        assert summary["n"] == 2 and summary["min"] <= summary["mean"] <= summary["max"]
        assert summary["ci"][0] <= summary["ci"][1]
        assert report["parts"][part]["summary_gold_input"]["arg_c"]["n"] == 2
    assert report["gold"]["items"]["PERSON.strict"] == 6 and report["gold"]["items"]["arg_c.PARTICIPANT"] == 6
    assert report["gold"]["per_article"] == {"000_a.txt": 2, "001_b.txt": 2, "002_c.txt": 2}
    md = render_markdown(report)
    assert "| Arg-C PARTICIPANT | 6 | — |" in md and "## Errors by kind" in md


def test_rerun_reuses_finished_runs_and_retrains_stale_ones(evaluated, data_dir):
    settings, first, _ = evaluated
    stale = settings.work_dir / "loso-001_b.txt-seed1" / SCORES_FILE
    stored = json.loads(stale.read_text())
    stale.write_text(json.dumps({**stored, "fingerprint": "from another corpus"}))
    (settings.work_dir / "own-seed0" / SCORES_FILE).unlink()
    messages = []
    again = evaluate_real_news(load_data(data_dir), settings, bootstrap=BootstrapSettings(resamples=50, unit="text"),
                               progress=messages.append)
    retrained = sorted(r["name"] for r in again["runs"] if not r["reused"])
    assert retrained == ["loso-001_b.txt-seed1", "own-seed0"]
    assert any("was made with other data, config or overrides" in m for m in messages)
    for part in ("a", "b"):  # training repeats exactly for a fixed seed (only the timings differ)
        assert again["parts"][part]["per_seed"] == first["parts"][part]["per_seed"]
        assert again["parts"][part]["summary"] == first["parts"][part]["summary"]
    b_only = leave_one_seed_out(settings.config, data_dir, settings.work_dir, seeds=(0, 1), overrides=OVERRIDES,
                                bootstrap=BootstrapSettings(resamples=50, unit="text"))
    assert b_only["summary"] == first["parts"]["b"]["summary"] and b_only["runs"] == 6


def test_readme_section_between_the_markers(evaluated, tmp_path):
    _, report, _ = evaluated
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- real-news:start -->\nSTALE BODY\n<!-- real-news:end -->\n\n## Next\n")
    assert update_readme(readme, report) is True
    text = readme.read_text()
    assert "STALE BODY" not in text and text.endswith("<!-- real-news:end -->\n\n## Next\n")
    assert readme_section(report) in text and "| Entities (ORG+PERSON+DATE) | 15 |" in text
    assert "(b) leave one seed out" in text.split("<!-- real-news:end -->")[0]
    assert update_readme(readme, report) is False
    written = write(report, tmp_path / "out")
    assert json.loads(written[0].read_text())["parts"]["b"] == report["parts"]["b"]
    (tmp_path / "bare.md").write_text("# no markers\n")
    with pytest.raises(ValueError, match="real-news:start"):
        update_readme(tmp_path / "bare.md", report)


def test_command_writes_report_and_readme(evaluated, data_dir, tmp_path):
    settings, report, _ = evaluated
    held_out = tmp_path / "held-out.json"
    scores = {m: {"f": 0.9, "f_ci": [0.85, 0.95]} for m in report["gold"]["items"]}
    held_out.write_text(json.dumps({"gold": {"texts": 40, "articles": 8}, "bootstrap": {"unit": "article"},
                                    "systems": [{"name": "pipeline", "scores": scores}]}))
    readme = tmp_path / "README.md"
    readme.write_text("<!-- real-news:start -->\n<!-- real-news:end -->\n")
    args = ["evaluate", "real-news", "--docbins", str(data_dir), "--config", str(settings.config),
            "--work-dir", str(settings.work_dir), "--training-seeds", "0,1", "--resamples", "50",
            "--override", "training.max_steps=6", "--override", "training.eval_frequency=3",
            "--held-out", str(held_out), "--output", str(tmp_path / "out"), "--readme", str(readme)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "reusing" in result.output  # every run was done by the fixture
    assert "| Arg-C | 15 | 90.0 (85.0–95.0) |" in readme.read_text()
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "out" / "report.json").exists()
    bad = runner.invoke(app, args[:-4] + ["--parts", "c"])
    assert bad.exit_code == 1 and "parts must be" in bad.output
