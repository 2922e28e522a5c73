"""``csto-events package``: a wheel that installs offline and extracts the same events.

The install test is the contract of the package: in a fresh virtual
environment holding only the wheel (dependencies visible read-only, see
csto_events/packaging/venv.py), in a new process whose working directory is
outside the repository and where ``import csto_events`` fails, the pipeline
loads by name and gives ``doc._.events`` identical to the source pipeline's.
"""
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import spacy

from csto_events.corpus.records import read_corpus
from csto_events.packaging.card import ScoresError, model_card, read_scores
from csto_events.packaging.package import (
    PIPELINE_CODE_DIR,
    PackagingError,
    build_meta,
    check_self_contained,
    package_pipeline,
    read_meta,
    shipped_modules,
)
from csto_events.packaging.venv import clean_env, make_wheel_env, unmet_requirements
from csto_events.pipeline.events import doc_to_output
from fixture_data import fixture_texts

REPO = Path(__file__).parent.parent
TRAINED = REPO / "training" / "models" / "default" / "model-best"


def sample_texts():
    """The corpus's own texts when present (the seeds were never delivered), else the fixtures."""
    extra = REPO / "corpus" / "extra"
    if extra.is_dir() and any(extra.glob("*.jsonl")):
        return [r.text for r in read_corpus([extra])][:40]
    return fixture_texts()


@pytest.fixture(scope="module")
def fixture_model(fixture_pipeline):
    return fixture_pipeline


@pytest.fixture(scope="module")
def built(fixture_model, tmp_path_factory):
    return package_pipeline(fixture_model, tmp_path_factory.mktemp("out"), data_dir=None)


IN_ENV = textwrap.dedent(
    """
    import json, sys
    try:
        import csto_events
    except ImportError:
        pass
    else:
        sys.exit(f"csto_events is importable from {csto_events.__file__}: the test would prove nothing")
    import spacy
    nlp = spacy.load(sys.argv[1])
    package = sys.modules[sys.argv[1]]
    assert package.__file__.startswith(sys.prefix), (package.__file__, sys.prefix)
    texts = json.load(open(sys.argv[2], encoding="utf-8"))
    outputs = [package.events.doc_to_output(doc, i) for i, doc in enumerate(nlp.pipe(texts))]
    json.dump({"outputs": outputs, "pipeline": nlp.pipe_names, "path": sys.path}, open(sys.argv[3], "w", encoding="utf-8"))
    """
)


def installed_outputs(wheel: Path, package: str, texts, work: Path):
    python = make_wheel_env(wheel, work / "env")
    assert unmet_requirements(python, package, cwd=work) == [], "every declared requirement is met offline"
    (work / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    (work / "check.py").write_text(IN_ENV, encoding="utf-8")
    done = subprocess.run([str(python), "check.py", package, "texts.json", "out.json"], cwd=work, env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert str(REPO) not in result["path"] and str(REPO / "csto_events") not in result["path"]
    return result


def source_outputs(model: Path, texts):
    nlp = spacy.load(model)
    return [doc_to_output(doc, i) for i, doc in enumerate(nlp.pipe(texts))]


@pytest.mark.slow
def test_wheel_installs_offline_and_gives_the_source_pipelines_events(built, fixture_model, tmp_path):
    texts = sample_texts()
    result = installed_outputs(built.wheel, built.package, texts, tmp_path)
    expected = source_outputs(fixture_model, texts)
    assert result["outputs"] == expected
    assert any(event["arguments"] for out in expected for event in out["events"]), "a test with no links would prove little"
    assert result["pipeline"] == spacy.load(fixture_model).pipe_names


@pytest.mark.slow
@pytest.mark.skipif(not TRAINED.is_dir(), reason="no trained pipeline yet (run `make train`)")
def test_trained_pipeline_wheel_gives_the_same_events(tmp_path):
    result = package_pipeline(TRAINED, tmp_path / "out", data_dir=REPO / "training" / "data")
    texts = sample_texts()
    installed = installed_outputs(result.wheel, result.package, texts, tmp_path)
    assert installed["outputs"] == source_outputs(TRAINED, texts)


def test_wheel_has_code_meta_and_model_card(built, fixture_model):
    assert built.package == "en_csto_events" and built.wheel.name == f"en_csto_events-{built.version}-py3-none-any.whl"
    with zipfile.ZipFile(built.wheel) as archive:
        names = set(archive.namelist())
        init = archive.read("en_csto_events/__init__.py").decode()
    for module in shipped_modules():
        assert f"en_csto_events/{module.name}" in names
    assert "en_csto_events/__init__.py" in names and "en_csto_events/pipeline/__init__.py" not in names
    assert "from . import " + ", ".join(module.stem for module in shipped_modules()) in init
    meta = read_meta(built.wheel)
    assert meta["name"] == "csto_events" and meta["license"] == "MIT"
    assert any(r.startswith("spacy>=") for r in meta["requirements"])
    assert not any(r.startswith("csto") for r in meta["requirements"]), "the wheel carries its own code"
    assert meta["csto_events"]["label_scheme"]["roles"]["LEADER"] == {"from": ["MISSION"], "to": ["PERSON"]}
    dev = json.loads((fixture_model / "meta.json").read_text())["performance"]
    assert meta["performance"]["arg_c_f"] == dev["arg_c_f"] and meta["performance"]["entities (all labels)_f"] == dev["ents_f"]
    assert "tag_acc" not in meta["performance"], "scores of components trained elsewhere are not ours to report"
    card = (built.folder / "README.md").read_text(encoding="utf-8")
    for section in ("## Labels", "## Roles", "## Training data", "## Scores", "## Limits", "## License"):
        assert section in card
    assert "| `LEADER` | MISSION | PERSON |" in card


def test_scores_with_intervals_go_into_meta_and_card(fixture_model, tmp_path):
    scores = {
        "split": "test",
        "confidence": 0.9,
        "resamples": 1000,
        "scores": {
            "entities.strict": {"p": 0.8, "r": 0.7, "f": 0.7467, "f_ci": [0.6512, 0.8123]},
            "arg_c": {"p": 0.5, "r": 0.25, "f": 0.3333, "p_ci": [0.3, 0.7], "f_ci": [0.2, 0.45]},
        },
    }
    path = tmp_path / "scores.json"
    path.write_text(json.dumps(scores), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "splits.json").write_text(json.dumps({"seed": 0, "sizes": {"train": {"sentences": 70, "articles": 9, "spans": 300, "links": 120}}, "counts": {"span:ORG": 99}}))
    meta = build_meta(fixture_model, "csto_events", "1.2.3", path, data)
    assert meta["performance"]["arg_c_f"] == 0.3333 and meta["performance"]["entities.strict_p"] == 0.8
    assert meta["csto_events"]["evaluation"]["scores"]["arg_c"]["f_ci"] == [0.2, 0.45]
    meta["spacy_version"] = ">=3.8"
    card = model_card(meta)
    assert "| `arg_c` | 50.0 | 25.0 | 33.3 | 20.0–45.0 |" in card
    assert "test set" in card and "90% bootstrap intervals" in card
    assert "| train | 70 | 9 | 300 | 120 |" in card and "span:ORG 99" in card


@pytest.mark.parametrize(
    "content,message",
    [("[1, 2]", "expected a JSON object"), ('{"scores": {"arg_c": {"p": 1}}}', "at least 'f'"),
     ('{"arg_c": {"f": 0.5, "f_ci": [0.1]}}', "f_ci must be [low, high]"), ("{", "cannot read scores")],
)
def test_bad_scores_files_are_named(tmp_path, content, message):
    path = tmp_path / "scores.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScoresError) as caught:
        read_scores(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_shipped_code_is_every_pipeline_module_and_self_contained():
    names = [p.name for p in shipped_modules()]
    assert "__init__.py" not in names and {"events.py", "scheme.py", "sentences.py", "event_arguments.py"} <= set(names)
    assert len(names) == len(list(PIPELINE_CODE_DIR.glob("*.py"))) - 1
    check_self_contained(shipped_modules())


def test_an_import_that_would_break_in_the_wheel_is_refused_with_file_and_line(tmp_path):
    (tmp_path / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("x = 1\nfrom csto_events.corpus import records\nfrom .missing import y\n", encoding="utf-8")
    with pytest.raises(PackagingError) as caught:
        check_self_contained([tmp_path / "a.py", tmp_path / "b.py"])
    assert f"{tmp_path / 'b.py'}:2: imports from csto_events.corpus" in str(caught.value)
    assert f"{tmp_path / 'b.py'}:3: imports .missing, which is not shipped" in str(caught.value)


def test_an_existing_package_folder_is_kept_unless_forced(built, fixture_model):
    with pytest.raises(PackagingError, match="--force"):
        package_pipeline(fixture_model, built.folder.parent)
    with pytest.raises(PackagingError, match="not a trained pipeline"):
        package_pipeline(built.folder, built.folder.parent / "elsewhere")


class FactoryClash(AssertionError):
    """spaCy's E004: a factory name registered twice by different functions."""


@pytest.mark.parametrize("first", ["import csto_events.pipeline", "pass"], ids=["repository-code-imported-first", "entry-points-only"])
def test_packaged_copy_and_repository_code_can_share_a_process(built, first):
    script = (
        f"import sys, spacy\n{first}\n"
        f"sys.path.insert(0, {str(built.folder)!r})\n"
        "import en_csto_events\n"
        "nlp = en_csto_events.load()\n"
        "doc = nlp('The European Union convened an extraordinary session on Tuesday.')\n"
        "assert [e.type for e in doc._.events] == ['MEETING'], doc._.events\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=built.folder.parent)
    if "[E004]" in done.stderr:
        raise FactoryClash(done.stderr.strip().splitlines()[-1])
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_evaluation_report_gives_the_pipelines_held_out_scores(tmp_path):
    report = {
        "gold": {"texts": 12},
        "bootstrap": {"unit": "article", "units": 4, "resamples": 500, "confidence": 0.95},
        "systems": [
            {"name": "en_core_web_sm", "scores": {"entities.strict": {"p": 0.1, "r": 0.1, "f": 0.1}}, "scores_gold_input": None},
            {
                "name": "pipeline",
                "scores": {"arg_c": {"p": 0.6, "r": 0.5, "f": 0.5455, "f_ci": [0.4, 0.7], "gold": 20}},
                "scores_gold_input": {"arg_c": {"p": 0.8, "r": 0.7, "f": 0.7467, "f_ci": [0.6, 0.85]}},
            },
        ],
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    scores, settings = read_scores(path)
    assert scores == {
        "arg_c": {"p": 0.6, "r": 0.5, "f": 0.5455, "f_ci": [0.4, 0.7]},
        "gold_entities.arg_c": {"p": 0.8, "r": 0.7, "f": 0.7467, "f_ci": [0.6, 0.85]},
    }
    assert settings["texts"] == 12 and settings["units"] == 4 and settings["confidence"] == 0.95
    with pytest.raises(ScoresError, match="no system 'mine' in the report \\(it has en_core_web_sm, pipeline\\)"):
        read_scores(path, system="mine")
