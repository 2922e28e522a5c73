"""The doccano loop against a real doccano 1.8 server and task worker (nothing mocked).

A session fixture starts one server on a free port over a temporary data
folder and always stops it and its worker. The first run builds the two
doccano venvs (minutes; cached in ~/.cache/csto-events/doccano-venvs or
$CSTO_DOCCANO_VENVS), later runs reuse them.
"""
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csto_events.annotate.client import Connection, DoccanoError
from csto_events.annotate.labels import relation_types, span_types
from csto_events.annotate.pull import PullError, pull
from csto_events.annotate.push import (
    PushError,
    ensure_project,
    load_texts,
    predict_records,
    push,
    upload_row,
    verify_upload,
)
from csto_events.annotate.server import DoccanoServer, free_port
from csto_events.cli import app
from csto_events.corpus.records import count_records
from csto_events.corpus.records import Entity, Record, read_jsonl

pytestmark = pytest.mark.slow

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ANNOTATE = FIXTURES / "annotate"


@pytest.fixture(scope="session")
def doccano(tmp_path_factory):
    """A running server and a logged-in connection; the server is stopped whatever happens."""
    password = secrets.token_urlsafe(12)
    server = DoccanoServer(tmp_path_factory.mktemp("doccano"), port=free_port(), ready_timeout=240)
    server.prepare(username="tester", password=password)
    try:
        server.start()
        server.wait_until_ready()
        yield server, Connection(server.url, "tester", password, timeout=300)
    finally:
        server.stop()


def gold_records():
    """The markup fixtures, a doccano-style export (int ids, global span ids, flat metadata),
    plus the real corpus when the repository has one."""
    records = load_texts(sorted(FIXTURES.glob("brief-*.md")) + [ANNOTATE / "doccano-export.jsonl"])
    corpus = sorted((REPO / "corpus" / "extra").glob("*.jsonl"))
    return records + (load_texts(corpus) if corpus else [])


def _listening_addresses(port):
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                addresses.add(address)
    return addresses


def test_server_listens_on_loopback_only(doccano):
    server, _ = doccano
    assert _listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, nothing else
    assert server.health()["CeleryHealthCheckCelery"] == "OK"  # the worker answers


def test_push_then_pull_gives_back_every_span_and_link(doccano, tmp_path):
    _, connection = doccano
    gold = gold_records()
    started = time.monotonic()
    report = push(gold, connection, "round-trip")
    pushed = time.monotonic()
    pull_report = pull(connection, "round-trip", tmp_path / "pulled.jsonl")
    print(f"\nround trip of {len(gold)} texts: push {pushed - started:.1f}s, pull {time.monotonic() - pushed:.1f}s; "
          f"{pull_report.summary()}")

    assert report.counts == count_records(gold)
    assert pull_report.counts == count_records(gold)
    pulled = list(read_jsonl(tmp_path / "pulled.jsonl"))
    assert [r.id for r in pulled] == [r.id for r in gold]
    for got, sent in zip(pulled, gold, strict=True):
        expected = sent.canonical()
        assert got.text == expected.text
        assert got.entities == expected.entities, got.id
        assert got.relations == expected.relations, got.id
        assert got.meta == expected.meta

    # Pulling again gives the same bytes.
    pull(connection, "round-trip", tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "pulled.jsonl").read_bytes()


def test_project_has_the_scheme_labels(doccano):
    _, connection = doccano
    info = ensure_project(connection, "labels-check")
    snapshot_again = ensure_project(connection, "labels-check")
    assert snapshot_again["project_id"] == info["project_id"] and not snapshot_again["created"]
    assert snapshot_again["label_changes"] == []  # reused as it is: colours and keys already right
    assert len(info["label_changes"]) == len(span_types()) + len(relation_types())


def test_pushing_the_same_documents_twice_is_refused(doccano):
    _, connection = doccano
    records = load_texts([FIXTURES / "brief-b.md"])
    push(records, connection, "twice")
    with pytest.raises(PushError, match="already in doccano project 'twice'"):
        push(records, connection, "twice")


def test_invalid_span_is_refused_before_anything_is_uploaded(doccano):
    _, connection = doccano
    records = load_texts([ANNOTATE / "invalid-spans.jsonl"])
    with pytest.raises(PushError) as caught:
        push(records, connection, "invalid")
    message = str(caught.value)
    assert "nothing was pushed" in message
    assert "invalid-spans.jsonl:2 (document 'bad-offsets'): span 8-40 'Pashinyan.' [PERSON]" in message
    assert "'The CSTO' [ORG] (id 1): starts with the determiner 'The'" in message
    with pytest.raises(DoccanoError, match="no doccano project is named 'invalid'"):
        connection.call("ensure_project", {"name": "invalid", "create": False})


def test_what_the_server_drops_is_caught_after_the_upload(doccano, tmp_path):
    """doccano's import drops an overlapping span silently; the check after upload must see it."""
    _, connection = doccano
    record = Record("overlap", "The Collective Security Council met.",
                    [Entity(1, "ORG", 4, 31), Entity(2, "ORG", 15, 31)], [], {}, "made-up", 1)
    project_id = ensure_project(connection, "drops")["project_id"]
    path = tmp_path / "upload.jsonl"
    path.write_text(json.dumps(upload_row(record)) + "\n")
    outcome = connection.call("upload", {"project_id": project_id, "path": str(path)})
    assert outcome["errors"] == []  # doccano itself says nothing
    snapshot = connection.call("snapshot", {"project_id": project_id})
    counts, problems = verify_upload([record], snapshot)
    assert counts["span:ORG"] == 1
    assert problems == ["document 'overlap' (made-up:1): span 15-31 'Security Council' [ORG] was dropped by the server"]


def test_pull_refuses_annotations_the_validator_rejects(doccano, tmp_path):
    _, connection = doccano
    records = load_texts([ANNOTATE / "invalid-spans.jsonl"])[:1]
    report = push(records, connection, "to-fix", strict=False)  # as model predictions are pushed
    assert any("determiner" in w for w in report.warnings)
    output = tmp_path / "never.jsonl"
    with pytest.raises(PullError) as caught:
        pull(connection, "to-fix", output)
    assert "doccano:to-fix/examples/" in str(caught.value)
    assert "'The CSTO' [ORG] (id 1): starts with the determiner 'The'" in str(caught.value)
    assert not output.exists()


def test_push_model_predictions_as_pre_annotations(doccano, tmp_path):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "ORG", "pattern": "Collective Security Treaty Organization"},
        {"label": "MISSION", "pattern": "monitoring mission"},
        {"label": "PERSON", "pattern": "Imangali Tasmagambetov"},
    ])
    nlp.to_disk(tmp_path / "model")
    texts = load_texts([ANNOTATE / "texts"])
    predicted = predict_records(texts, tmp_path / "model")
    assert [e.label for e in predicted[0].entities] == ["ORG", "MISSION", "PERSON"]
    _, connection = doccano
    report = push(predicted, connection, "predictions", strict=False)
    assert report.counts["texts"] == 2 and report.counts["span:MISSION"] == 1 and report.spans == 3


def test_cli_push_and_pull(doccano, tmp_path):
    server, connection = doccano
    env = {"CSTO_DOCCANO_URL": server.url, "CSTO_DOCCANO_USERNAME": connection.username,
           "CSTO_DOCCANO_PASSWORD": connection.password}
    runner = CliRunner()
    command = ["annotate", "push", str(ANNOTATE / "texts"), "--project", "cli", "--no-annotations"]
    result = runner.invoke(app, command, env=env)
    assert result.exit_code == 0, result.output
    assert "Pushed 2 text(s), 0 span(s), 0 link(s)" in result.output
    output = tmp_path / "cli.jsonl"
    result = runner.invoke(app, ["annotate", "pull", "--project", "cli", "--output", str(output)], env=env)
    assert result.exit_code == 0, result.output
    pulled = list(read_jsonl(output))
    assert [r.id for r in pulled] == ["dispatch-1", "dispatch-2"]
    assert pulled[1].text == (ANNOTATE / "texts" / "dispatch-2.txt").read_text().rstrip()
    result = runner.invoke(app, ["annotate", "pull", "--project", "missing", "-o", str(output)], env=env)
    assert result.exit_code == 1 and "no doccano project is named 'missing'" in result.output


def _read_lines(stream, lines):
    for line in stream:
        lines.append(line.rstrip("\n"))


def test_serve_command_generates_a_password_and_stops_on_ctrl_c(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSTO_DOCCANO_") or k == "CSTO_DOCCANO_VENVS"}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "csto_events.cli", "annotate", "serve", "--doccano-data", str(data), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines = []
    reader = threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    groups = {}
    try:
        deadline = time.monotonic() + 300
        while not any("doccano is ready" in line for line in lines):
            assert process.poll() is None, "\n".join(lines)
            assert time.monotonic() < deadline, "serve was not ready in 300s:\n" + "\n".join(lines)
            time.sleep(0.5)
        groups = json.loads((data / "server.json").read_text())["groups"]
        password_line = next(line for line in lines if "generated password" in line)
        password = password_line.rsplit(": ", 1)[1]
        assert len(password) >= 16
        # The printed password logs in: the driver gets past login to the project lookup.
        with pytest.raises(DoccanoError, match="no doccano project is named 'none'"):
            connection = Connection(f"http://127.0.0.1:{port}", "admin", password)
            connection.call("ensure_project", {"name": "none", "create": False})

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        # stop() gives each of its two processes 15 s after SIGTERM and 10 s after SIGKILL,
        # 50 s at worst: 60 s left too little on a loaded machine (failed once in CI so).
        assert process.wait(timeout=120) == 0, "\n".join(lines)
        reader.join(timeout=5)
        assert "doccano stopped." in lines
        assert sum("generated password" in line for line in lines) == 1
        for pgid in groups.values():
            with pytest.raises(ProcessLookupError):
                os.killpg(pgid, 0)  # no process of the server or the worker is left
        assert not (data / "server.json").exists()
    finally:
        for pgid in list(groups.values()) + [process.pid]:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)


def test_prepare_declares_the_task_queue_before_any_process_starts(tmp_path):
    """Web workers and the celery worker used to race to create the queue's row
    on first use; the loser died on a UNIQUE constraint. The row must exist
    before they start."""
    import sqlite3

    server = DoccanoServer(tmp_path / "data", port=free_port())
    server.prepare(username="tester", password=secrets.token_urlsafe(12))
    with sqlite3.connect(tmp_path / "data" / "db.sqlite3") as db:
        queues = [name for (name,) in db.execute("SELECT name FROM kombu_queue")]
    assert queues == ["celery"]
    # Preparing the same folder again keeps one row (the declaration is idempotent).
    server.prepare(username="tester")
    with sqlite3.connect(tmp_path / "data" / "db.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM kombu_queue").fetchone() == (1,)
