"""``csto-events extract``: the Output format from a stream, bad inputs named, nothing lost."""
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.extract.extract import ExtractError, extract, extract_to_files
from csto_events.extract.inputs import read_inputs
from csto_events.extract.loading import prepare_processes
from csto_events.pipeline.events import doc_to_output
from fixture_data import fixture_texts

REPO = Path(__file__).parent.parent
CLI = Path(sys.executable).parent / "csto-events"


@pytest.fixture(scope="module")
def model(fixture_pipeline):
    return fixture_pipeline


@pytest.fixture(scope="module")
def nlp(model):
    return spacy.load(model)


def write_jsonl(path: Path, rows) -> Path:
    with path.open("wb") as file:
        for row in rows:
            file.write(row if isinstance(row, bytes) else json.dumps(row).encode("utf-8"))
            file.write(b"\n")
    return path


def read_output(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def good_rows():
    return [{"id": f"doc-{i}", "text": text} for i, text in enumerate(fixture_texts())]


def test_output_is_the_pipelines_output_in_input_order(nlp, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", good_rows() * 3)
    report = extract_to_files(nlp, source, tmp_path / "out.jsonl", batch_size=2)
    written = read_output(tmp_path / "out.jsonl")
    expected = [doc_to_output(nlp(row["text"]), row["id"]) for row in good_rows() * 3]
    assert written == expected
    assert report.read == report.written == len(expected) and not report.skipped
    assert any(event["arguments"] for out in written for event in out["events"]), "the fixture pipeline links arguments"


@pytest.fixture
def restore_torch_threads():
    import torch

    threads = torch.get_num_threads()
    yield torch
    torch.set_num_threads(threads)


def test_several_processes_get_one_torch_thread_each(restore_torch_threads):
    torch = restore_torch_threads
    torch.set_num_threads(2)
    prepare_processes(1)
    assert torch.get_num_threads() == 2, "a single process keeps torch's threads"
    prepare_processes(2)
    assert torch.get_num_threads() == 1 and os.environ["TOKENIZERS_PARALLELISM"] == "false"


def test_two_processes_give_the_same_output(nlp, tmp_path, restore_torch_threads):
    source = write_jsonl(tmp_path / "in.jsonl", good_rows() * 4)
    extract_to_files(nlp, source, tmp_path / "one.jsonl", batch_size=2, n_process=1)
    extract_to_files(nlp, source, tmp_path / "two.jsonl", batch_size=2, n_process=2)
    assert read_output(tmp_path / "one.jsonl") == read_output(tmp_path / "two.jsonl")


BAD_LINES = {
    "empty text": ({"id": "bad", "text": ""}, "empty text"),
    "invalid UTF-8": (b'{"id": "bad", "text": "caf\xe9"}', "invalid UTF-8"),
    "malformed JSON": (b'{"id": "bad", "text": "unterminated', "malformed JSON"),
    "missing id": ({"text": "The CSTO met."}, "missing 'id'"),
    "missing text": ({"id": "bad"}, "missing 'text'"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_bad_line_stops_the_run_naming_the_line(nlp, tmp_path, kind):
    row, reason = BAD_LINES[kind]
    rows = good_rows()
    source = write_jsonl(tmp_path / "in.jsonl", rows + [row] + rows)
    with pytest.raises(ExtractError) as caught:
        extract_to_files(nlp, source, tmp_path / "out.jsonl", batch_size=1)
    bad_line = len(rows) + 1
    assert caught.value.bad.where == f"{source}:{bad_line}"
    assert reason in str(caught.value)
    assert f"{source}:{bad_line}: " in str(caught.value)
    report = caught.value.report
    assert report.written == len(rows) == len(read_output(tmp_path / "out.jsonl")), "what came before is written"
    assert report.read == report.written + len(report.skipped) + 1


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_skip_errors_processes_the_rest_and_lists_the_line(nlp, tmp_path, kind):
    row, reason = BAD_LINES[kind]
    rows = good_rows()
    source = write_jsonl(tmp_path / "in.jsonl", rows + [row] + rows)
    report = extract_to_files(nlp, source, tmp_path / "out.jsonl", skip_errors=True)
    written = read_output(tmp_path / "out.jsonl")
    assert len(written) == report.written == 2 * len(rows)
    assert [str(bad).split(": ")[0] for bad in report.skipped] == [f"{source}:{len(rows) + 1}"]
    assert reason in report.skipped[0].reason
    assert report.read == report.written + len(report.skipped) == 2 * len(rows) + 1
    assert f"{source}:{len(rows) + 1}" in report.summary()


def test_binary_and_empty_files_in_a_folder_are_skipped_by_name(nlp, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for i, text in enumerate(fixture_texts()):
        (folder / f"article-{i}.txt").write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(gzip.compress(b"binary " * 100))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ExtractError, match="broken.txt: binary data"):
        extract_to_files(nlp, folder, tmp_path / "out.jsonl")
    report = extract_to_files(nlp, folder, tmp_path / "out.jsonl", skip_errors=True)
    assert [o["id"] for o in read_output(tmp_path / "out.jsonl")] == ["article-0", "article-1"]
    assert sorted(Path(b.where).name for b in report.skipped) == ["broken.txt", "empty.txt"]
    assert report.read == report.written + len(report.skipped) == 4


def test_a_one_megabyte_text_is_processed_whole_in_pieces(nlp, tmp_path):
    single = "\n\n".join(fixture_texts()) + "\n\n"
    copies = 1_000_000 // len(single) + 1
    text = single * copies
    assert len(text) > 1_000_000 > nlp.max_length - 1
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "big", "text": text}, {"id": "small", "text": single}])
    report = extract_to_files(nlp, source, tmp_path / "out.jsonl", max_chars=100_000)
    big, small = read_output(tmp_path / "out.jsonl")
    assert report.long_texts == 1 and report.written == 2
    assert big["text"] == text, "never truncated"
    assert len(big["entities"]) == copies * len(small["entities"])
    assert len(big["events"]) == copies * len(small["events"])
    for span in big["entities"] + [e["trigger"] for e in big["events"]] + [a for e in big["events"] for a in e["arguments"]]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert big["entities"] == sorted(big["entities"], key=lambda e: e["start"])


def test_html_page_has_entities_and_events(nlp, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", good_rows())
    extract_to_files(nlp, source, tmp_path / "out.jsonl", html=tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<section>") == 2 and "2 text(s)" in page
    assert 'class="entity"' in page and ">MISSION</span>" in page
    assert "LEADER: Aigerim Sadykova [PERSON]" in page


def test_cli_folder_to_file_with_html_and_progress(model, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for i, text in enumerate(fixture_texts()):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(model), str(folder), str(tmp_path / "out.jsonl"), "--html", str(tmp_path / "p.html")])
    assert result.exit_code == 0, result.output
    assert [o["id"] for o in read_output(tmp_path / "out.jsonl")] == ["a0", "a1"]
    assert "extract: 2 docs" in result.stderr and "read 2 document(s), wrote 2, skipped 0" in result.stderr
    assert (tmp_path / "p.html").exists() and result.stdout == ""


def test_cli_bad_line_exits_1_naming_it_and_skip_errors_lists_it(model, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", good_rows() + [b"{not json"] + good_rows())
    result = CliRunner().invoke(app, ["extract", str(model), str(source), str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert f"{source}:3: malformed JSON" in result.stderr
    result = CliRunner().invoke(app, ["extract", str(model), str(source), str(tmp_path / "out.jsonl"), "--skip-errors", "-q"])
    assert result.exit_code == 0
    assert "read 5 document(s), wrote 4, skipped 1" in result.stderr
    assert f"  {source}:3: malformed JSON" in result.stderr
    assert len(read_output(tmp_path / "out.jsonl")) == 4


def test_cli_reads_stdin_and_writes_stdout_in_a_real_pipe(model, tmp_path):
    lines = b"".join(json.dumps(r).encode() + b"\n" for r in good_rows())
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([str(CLI), "extract", str(model), "-"], input=lines, capture_output=True, cwd=tmp_path, env=env, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    outputs = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in outputs] == ["doc-0", "doc-1"]
    assert b"read 2 document(s), wrote 2, skipped 0" in done.stderr
    assert outputs == read_back(model, good_rows())


def read_back(model, rows):
    nlp = spacy.load(model)
    return [doc_to_output(nlp(r["text"]), r["id"]) for r in rows]


def test_extract_function_accounts_for_every_item(nlp):
    items = list(read_inputs("-", stdin=io.BytesIO(b'{"id": 1, "text": "The CSTO met."}\n{"id": 2}\n')))
    written = []
    report = extract(nlp, items, written.append, skip_errors=True)
    assert (report.read, report.written, len(report.skipped), len(written)) == (2, 1, 1, 1)
    assert written[0]["id"] == 1 and report.skipped[0].where == "<stdin>:2"
