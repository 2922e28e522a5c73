"""Server and venv bookkeeping that needs no running doccano (see test_annotate_doccano.py for that)."""
import json
import os
import socket

import pytest

from csto_events.annotate import venvs
from csto_events.annotate.client import Connection, DoccanoError
from csto_events.annotate.server import DoccanoServer, ServerError, free_port


def test_a_busy_port_is_refused_before_starting(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = DoccanoServer(tmp_path, port=busy.getsockname()[1])
        with pytest.raises(ServerError, match=f"port {server.port} on 127.0.0.1 is in use"):
            server._check_not_running()


def test_a_server_still_running_over_the_same_data_is_refused(tmp_path):
    server = DoccanoServer(tmp_path, port=free_port())
    # A live process group (this test's own) recorded as the server's.
    server.state_file.write_text(json.dumps({"port": 1234, "groups": {"gunicorn": os.getpgrp()}}))
    with pytest.raises(ServerError, match="still runs"):
        server._check_not_running()
    assert server.state_file.exists()


def test_a_stale_state_file_is_cleared(tmp_path):
    server = DoccanoServer(tmp_path, port=free_port())
    server.state_file.write_text(json.dumps({"port": 1234, "groups": {"worker": 2**22 + 12345}}))
    server._check_not_running()
    assert not server.state_file.exists()


def test_a_venv_counts_as_installed_only_for_the_current_requirements(tmp_path):
    python = tmp_path / "client" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    assert not venvs.is_installed("client", tmp_path)  # no marker: pip never finished
    marker = tmp_path / "client" / venvs.MARKER
    marker.write_text("0" * 64)
    assert not venvs.is_installed("client", tmp_path)  # built from other requirements
    marker.write_text(venvs._digest(venvs.requirements_file("client")))
    assert venvs.is_installed("client", tmp_path)


def test_the_requirements_pin_what_doccano_needs():
    server = venvs.requirements_file("server").read_text()
    client = venvs.requirements_file("client").read_text()
    assert "doccano==1.8.4" in server and "\npydantic==2." in server and "\nnumpy==1." in server
    assert "doccano-client==1.2.8" in client and "\npydantic==1." in client and "\nurllib3==1." in client


def test_an_unusable_python_gives_a_clear_error(tmp_path):
    with pytest.raises(venvs.VenvError, match="need Python 3.11"):
        venvs.ensure_venv("client", tmp_path, python="/bin/false", progress=lambda _: None)
    with pytest.raises(venvs.VenvError, match="cannot run the Python"):
        venvs.ensure_venv("client", tmp_path, python=str(tmp_path / "no-python"), progress=lambda _: None)


def test_push_and_pull_need_a_password(monkeypatch):
    monkeypatch.delenv("CSTO_DOCCANO_PASSWORD", raising=False)
    with pytest.raises(DoccanoError, match=r"set \$CSTO_DOCCANO_PASSWORD"):
        Connection.from_env()
    monkeypatch.setenv("CSTO_DOCCANO_PASSWORD", "x")
    monkeypatch.setenv("CSTO_DOCCANO_URL", "http://127.0.0.1:9/")
    connection = Connection.from_env()
    assert (connection.url, connection.username) == ("http://127.0.0.1:9", "admin")
