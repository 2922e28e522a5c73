"""The two virtual environments that doccano needs, created on demand.

doccano 1.8 (the server) runs on pydantic 2, doccano-client 1.2 on pydantic 1,
and the project's own ``.venv`` must depend on neither. So each lives in a
venv of its own, built from a fully pinned requirements file shipped in
``csto_events/annotate/requirements/``. The project talks to them only
through processes: the server venv runs gunicorn and the task worker, the
client venv runs ``doccano_driver.py`` (JSON on stdin and stdout).

A venv is built once (minutes: pip downloads about 120 packages) and reused
until its requirements file changes: the file's hash is written into the venv
when pip succeeds, so an interrupted install is never mistaken for a finished
one. A file lock keeps two processes (two test sessions, a test run and a
serve) from building the same venv at once.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..errors import ToolError
from ..progress import Progress, to_stderr

REQUIREMENTS_DIR = Path(__file__).parent / "requirements"
VENV_NAMES = ("server", "client")
ENV_VENV_ROOT = "CSTO_DOCCANO_VENVS"
ENV_PYTHON = "CSTO_DOCCANO_PYTHON"
MARKER = ".csto-events-installed"
INSTALL_TIMEOUT = 1800.0


class VenvError(ToolError):
    """A doccano venv could not be created; the message points to pip's log."""


def default_venv_root() -> Path:
    """``$CSTO_DOCCANO_VENVS``, else ``~/.cache/csto-events/doccano-venvs``.

    Outside the repository, so a fresh clone, the test suite and the command
    line all reuse the same two venvs instead of installing them again.
    """
    configured = os.environ.get(ENV_VENV_ROOT)
    if configured:
        return Path(configured).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "csto-events" / "doccano-venvs"


def requirements_file(name: str) -> Path:
    if name not in VENV_NAMES:
        raise ValueError(f"unknown doccano venv {name!r} (expected one of {VENV_NAMES})")
    return REQUIREMENTS_DIR / f"{name}.txt"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def venv_python(name: str, root: Optional[Path] = None) -> Path:
    return (root or default_venv_root()) / name / "bin" / "python"


def is_installed(name: str, root: Optional[Path] = None) -> bool:
    """True when the venv exists and was built from the current requirements file."""
    venv = (root or default_venv_root()) / name
    marker = venv / MARKER
    return (
        marker.is_file()
        and (venv / "bin" / "python").exists()
        and marker.read_text().strip() == _digest(requirements_file(name))
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_python(python: str) -> None:
    """The venvs need Python 3.11 or newer: doccano's scripts run with ``-P`` (see client.py)."""
    try:
        found = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise VenvError(f"cannot run the Python for the doccano venvs ({python}): {err}; set ${ENV_PYTHON}") from err
    version = found.stdout.strip()
    if found.returncode != 0 or tuple(int(x) for x in version.split(".")) < (3, 11):
        raise VenvError(f"the doccano venvs need Python 3.11 (tested), got {version or 'nothing'} from {python}; "
                        f"set ${ENV_PYTHON} to a python3.11")


def ensure_venv(
    name: str,
    root: Optional[Path] = None,
    python: Optional[str] = None,
    progress: Progress = to_stderr,
) -> Path:
    """Return the python of venv ``name`` ("server" or "client"), building it if needed.

    ``python`` is the interpreter the venv is made from: ``$CSTO_DOCCANO_PYTHON``,
    else the one running this code. The server pins need Python 3.11.
    """
    root = Path(root) if root else default_venv_root()
    requirements = requirements_file(name)
    venv = root / name
    with _locked(root / f"{name}.lock"):
        if is_installed(name, root):
            return venv / "bin" / "python"
        python = python or os.environ.get(ENV_PYTHON) or sys.executable
        _check_python(python)
        if venv.exists():
            progress(f"Rebuilding the doccano {name} venv in {venv} (requirements changed or install unfinished).")
            shutil.rmtree(venv)
        else:
            progress(f"Creating the doccano {name} venv in {venv} (first time only; a few minutes).")
        started = time.monotonic()
        pip_log = root / f"{name}-pip.log"
        with pip_log.open("w") as out:
            steps = [
                [python, "-m", "venv", str(venv)],
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                 "--no-input", "-r", str(requirements)],
            ]
            for step in steps:
                try:
                    result = subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT)
                except OSError as err:
                    raise VenvError(f"cannot run {step[0]}: {err}") from err
                except subprocess.TimeoutExpired as err:
                    raise VenvError(f"{' '.join(step[:4])}... took over {INSTALL_TIMEOUT:.0f}s; see {pip_log}") from err
                if result.returncode != 0:
                    tail = "\n".join(pip_log.read_text(errors="replace").splitlines()[-15:])
                    raise VenvError(
                        f"building the doccano {name} venv failed (exit {result.returncode}) while running "
                        f"{' '.join(step[:4])}...; full log: {pip_log}\n{tail}"
                    )
        (venv / MARKER).write_text(_digest(requirements) + "\n")
        progress(f"Doccano {name} venv ready in {time.monotonic() - started:.0f}s.")
        return venv / "bin" / "python"
