"""A local doccano 1.8 server: web app (gunicorn) plus its task worker (celery).

Both run from the server venv (see venvs.py), bound to 127.0.0.1 only, with
every piece of state in one data folder the user chooses:

    DATA/db.sqlite3      projects, texts, annotations, users (also the task queue)
    DATA/media/          uploaded and exported files
    DATA/secret_key      Django's secret key, generated once (mode 600)
    DATA/logs/           gunicorn.log and worker.log
    DATA/server.json     process groups of a running server, removed on stop

The worker matters: doccano imports and exports in background tasks, and
without a worker an upload or a download waits forever. ``/v1/health/``
answers 200 only when the database, the storage and a round trip through
the worker all work, so "ready" means ready to import.

Each process starts in a session of its own, so a terminal's Ctrl-C reaches
only the ``csto-events`` process, which then stops both groups in order:
SIGTERM, a bounded wait, SIGKILL for whatever is left.
"""
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from ..errors import ToolError
from ..progress import Progress, to_stderr
from .venvs import ensure_venv

HOST = "127.0.0.1"
ENV_USERNAME = "CSTO_DOCCANO_USERNAME"
ENV_PASSWORD = "CSTO_DOCCANO_PASSWORD"
ENV_EMAIL = "CSTO_DOCCANO_EMAIL"
DEFAULT_USERNAME = "admin"
SETUP_SCRIPT = Path(__file__).parent / "server_setup.py"
# Variables of the caller that would point doccano at another database or queue.
_INHERITED_OUT = ("DATABASE_URL", "CELERY_BROKER_URL", "PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")


class ServerError(ToolError):
    """The doccano server could not be prepared, started, or kept running."""


@dataclass
class Admin:
    username: str
    password: Optional[str]
    created: bool
    generated: bool

    def describe(self) -> str:
        if self.generated:
            return (
                f"Created admin account {self.username!r} with a generated password, shown only now: "
                f"{self.password}\n  export {ENV_USERNAME}={self.username} {ENV_PASSWORD}='{self.password}'"
            )
        if self.created:
            return f"Created admin account {self.username!r} with the password from ${ENV_PASSWORD}."
        return f"Admin account {self.username!r} already exists in this data folder (password unchanged)."


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return f"({path} is empty)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class DoccanoServer:
    """One doccano server on 127.0.0.1:``port`` over the data folder ``data_dir``.

    Use as a context manager (``with DoccanoServer(...) as server:``), which
    prepares, starts, waits for health and always stops; or call the steps.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int = 8000,
        workers: int = 2,
        venv_root: Optional[Path] = None,
        ready_timeout: float = 180.0,
        progress: Progress = to_stderr,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.port = port
        self.workers = workers
        self.venv_root = venv_root
        self.ready_timeout = ready_timeout
        self.progress = progress
        self.processes: Dict[str, subprocess.Popen] = {}
        self._python: Optional[Path] = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "server.json"

    # --- preparation -------------------------------------------------------
    def python(self) -> Path:
        if self._python is None:
            self._python = ensure_venv("server", self.venv_root, progress=self.progress)
        return self._python

    def backend_dir(self) -> Path:
        """doccano's Django project inside the server venv (``site-packages/backend``)."""
        venv = self.python().parent.parent
        found = sorted(venv.glob("lib/python3*/site-packages/backend/config/wsgi.py"))
        if not found:
            raise ServerError(f"doccano's backend not found in {venv}; delete that folder to rebuild it")
        return found[0].parent.parent

    def _secret_key(self) -> str:
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def environment(self) -> Dict[str, str]:
        """Environment of every doccano process: settings from the data folder only."""
        env = {k: v for k, v in os.environ.items() if k not in _INHERITED_OUT}
        origins = f"http://{HOST}:{self.port},http://localhost:{self.port}"
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DATABASE_URL=f"sqlite:///{self.data_dir / 'db.sqlite3'}",
            MEDIA_ROOT=str(self.data_dir / "media"),
            DOCCANO_HOME=str(self.data_dir),
            SECRET_KEY=self._secret_key(),
            STANDALONE="True",
            DEBUG="False",
            CSRF_TRUSTED_ORIGINS=origins,
            PYTHONPATH=str(self.backend_dir()),
            PYTHONUNBUFFERED="1",
        )
        return env

    def prepare(self, username: Optional[str] = None, password: Optional[str] = None) -> Admin:
        """Build the venv if missing, migrate the database, ensure the admin account.

        The admin comes from ``username``/``password``, else from
        ``$CSTO_DOCCANO_USERNAME``/``$CSTO_DOCCANO_PASSWORD``; with no password a
        random one is generated and returned (to be shown once). There is no
        default password.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        username = username or os.environ.get(ENV_USERNAME) or DEFAULT_USERNAME
        password = password or os.environ.get(ENV_PASSWORD) or None
        generated = password is None
        env = self.environment()
        env["CSTO_SETUP_USERNAME"] = username
        env["CSTO_SETUP_PASSWORD"] = password or secrets.token_urlsafe(12)
        env["CSTO_SETUP_EMAIL"] = os.environ.get(ENV_EMAIL, "")
        self.progress(f"Preparing the doccano database in {self.data_dir} ...")
        setup_log = self.log_dir / "setup.log"
        with setup_log.open("w") as err:
            try:
                result = subprocess.run(
                    [str(self.python()), "-P", str(SETUP_SCRIPT)],  # -P: keep this folder off sys.path
                    env=env, cwd=self.data_dir, stdout=subprocess.PIPE, stderr=err, text=True, timeout=600,
                )
            except subprocess.TimeoutExpired as err:
                raise ServerError(f"preparing the doccano database took over 600s; see {setup_log}") from err
        if result.returncode != 0:
            raise ServerError(f"preparing the doccano database failed; see {setup_log}:\n{_tail(setup_log)}")
        outcome = json.loads(result.stdout.strip().splitlines()[-1])["admin"]
        created = outcome == "created"
        return Admin(
            username=username,
            password=env["CSTO_SETUP_PASSWORD"] if created else None,
            created=created,
            generated=created and generated,
        )

    # --- processes ---------------------------------------------------------
    def commands(self) -> Dict[str, List[str]]:
        bin_dir = self.python().parent
        return {
            "gunicorn": [
                str(bin_dir / "gunicorn"), "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
                "--chdir", str(self.backend_dir()), "--graceful-timeout", "5", "--capture-output",
                "config.wsgi",
            ],
            # doccano's own entry point for the celery worker ("doccano task").
            "worker": [str(bin_dir / "doccano"), "task", "--concurrency", "1"],
        }

    def _check_not_running(self) -> None:
        if self.state_file.exists():
            try:
                state = json.loads(self.state_file.read_text())
            except json.JSONDecodeError:
                state = {}
            alive = {name: pgid for name, pgid in state.get("groups", {}).items() if _group_alive(pgid)}
            if alive:
                raise ServerError(
                    f"a doccano server over {self.data_dir} still runs (process groups {alive}, "
                    f"port {state.get('port')}); stop it (kill -TERM -<pgid>) before starting another"
                )
            self.state_file.unlink()
        if not _port_is_free(self.port):
            raise ServerError(f"port {self.port} on {HOST} is in use; choose another with --port")

    def start(self) -> None:
        """Start gunicorn and the worker, each in a process group of its own."""
        self._check_not_running()
        env = self.environment()
        for name, command in self.commands().items():
            log_path = self.log_dir / f"{name}.log"
            with log_path.open("a") as out:
                out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(command)}\n")
                out.flush()
                self.processes[name] = subprocess.Popen(
                    command, env=env, cwd=self.data_dir, stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )
        state = {"port": self.port, "groups": {n: p.pid for n, p in self.processes.items()}}
        self.state_file.write_text(json.dumps(state))

    def health(self, timeout: float = 10.0) -> Optional[dict]:
        """The health report when every check passes, else None."""
        request = urllib.request.Request(f"{self.url}/v1/health/", headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode()) if response.status == 200 else None
        except (urllib.error.URLError, http.client.HTTPException, OSError, json.JSONDecodeError):
            return None

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                log_path = self.log_dir / f"{name}.log"
                raise ServerError(
                    f"doccano's {name} exited with code {process.returncode}; last lines of {log_path}:\n"
                    f"{_tail(log_path)}"
                )

    def wait_until_ready(self) -> float:
        """Poll ``/v1/health/`` until it passes; return the seconds it took."""
        started = time.monotonic()
        deadline = started + self.ready_timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if self.health(timeout=min(10.0, max(1.0, deadline - time.monotonic()))) is not None:
                return time.monotonic() - started
            time.sleep(0.5)
        raise ServerError(
            f"doccano at {self.url} was not healthy after {self.ready_timeout:.0f}s; see "
            f"{self.log_dir}/gunicorn.log and worker.log:\n{_tail(self.log_dir / 'worker.log', 10)}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        """Stop both process groups and wait until no process of either is left."""
        groups = {name: process.pid for name, process in self.processes.items()}
        for pgid in groups.values():
            if _group_alive(pgid):
                try:
                    os.killpg(pgid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes.values():
                process.poll()  # reap the group leader, or it stays a zombie member
            if not any(_group_alive(pgid) for pgid in groups.values()):
                break
            time.sleep(0.2)
        for name, pgid in groups.items():
            if _group_alive(pgid):
                self.progress(f"doccano's {name} did not stop within {timeout:.0f}s; killing it")
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        leftover = [name for name, pgid in groups.items() if _group_alive(pgid)]
        self.processes = {}
        if self.state_file.exists() and not leftover:
            self.state_file.unlink()
        if leftover:
            raise ServerError(f"doccano processes survived SIGKILL: {leftover} (groups {groups})")

    def __enter__(self) -> "DoccanoServer":
        self.admin = self.prepare()
        try:
            self.start()
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(
    data_dir: Path,
    port: int = 8000,
    workers: int = 2,
    venv_root: Optional[Path] = None,
    progress: Progress = to_stderr,
) -> None:
    """Run a doccano server until Ctrl-C (or SIGTERM), then stop it and its worker.

    The admin account is created on the first run over a data folder; later
    runs keep it and its password.
    """
    server = DoccanoServer(data_dir, port=port, workers=workers, venv_root=venv_root, progress=progress)
    admin = server.prepare()
    progress(admin.describe())
    # SIGINT too: a process started in the background of a non-interactive shell
    # inherits SIGINT ignored (and Python then leaves it ignored), so Ctrl-C or
    # `kill -INT` would never stop the server.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    previous_int = signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        server.start()
        seconds = server.wait_until_ready()
        progress(f"doccano is ready at {server.url} ({seconds:.0f}s; logs in {server.log_dir}). Ctrl-C stops it.")
        while True:
            time.sleep(1.0)
            server.check_alive()
    except KeyboardInterrupt:
        progress("Stopping doccano ...")
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
        server.stop()
        progress("doccano stopped.")


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
