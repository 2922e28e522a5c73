"""The command line: fast to start, one error handler, and the commands wired to their modules."""
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from csto_events.cli import ReportingGroup, app
from csto_events.errors import DataError

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def test_importing_the_cli_loads_neither_torch_nor_spacy():
    # A new interpreter: this test process has imported spaCy long ago.
    code = "import sys, csto_events.cli; print(sorted(m for m in ('torch', 'spacy', 'thinc', 'dask') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_help_lists_every_workflow_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for command in ("corpus", "train", "config", "evaluate", "annotate", "package", "extract", "benchmark", "distributed-extract"):
        assert command in result.output


def test_the_extract_defaults_in_the_command_are_the_extractors():
    from csto_events.extract import commands, extract

    assert (commands.DEFAULT_BATCH_SIZE, commands.DEFAULT_MAX_CHARS) == (extract.DEFAULT_BATCH_SIZE, extract.DEFAULT_MAX_CHARS)


def _app_raising(error: BaseException) -> typer.Typer:
    demo = typer.Typer(cls=ReportingGroup)

    @demo.command("fail")
    def fail() -> None:
        raise error

    @demo.command("other")
    def other() -> None:  # a second command, so "fail" stays a sub-command
        pass

    return demo


def test_a_project_error_is_one_red_line_and_exit_code_1():
    result = CliRunner().invoke(_app_raising(DataError("corpus/x.jsonl:3: span 4-9 'the X' starts with 'the'")), ["fail"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: corpus/x.jsonl:3: span 4-9 'the X' starts with 'the'"


def test_a_bug_keeps_its_traceback():
    result = CliRunner().invoke(_app_raising(KeyError("a bug")), ["fail"])
    assert result.exit_code == 1
    assert isinstance(result.exception, KeyError)


def test_the_traceback_of_a_project_error_on_request(monkeypatch):
    monkeypatch.setenv("CSTO_EVENTS_TRACEBACK", "1")
    result = CliRunner().invoke(_app_raising(DataError("bad")), ["fail"])
    assert isinstance(result.exception, DataError)


def test_a_corpus_problem_reaches_the_user_with_its_file_and_line(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("# id: d1\n\nThe [CSTO]{ORG:c} met.\n>> c AGENT missing\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", "import-markup", str(draft), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert f"error: {draft}:4: link names unknown id 'missing'" in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_an_override_without_a_value_is_refused():
    result = CliRunner().invoke(app, ["train", str(REPO / "configs" / "default.cfg"), "--override", "training.max_steps"])
    assert result.exit_code == 1
    assert "config override 'training.max_steps' is not of the form section.key=value" in result.output
