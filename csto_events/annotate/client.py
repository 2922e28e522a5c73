"""The project's side of the doccano client: run ``doccano_driver.py`` in the client venv.

Every call is one short process with a timeout, so a server whose task
worker is down makes ``push`` or ``pull`` fail with a sentence after a
bounded wait instead of hanging. Progress lines of the driver are passed on.
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

from ..errors import ToolError
from ..progress import Progress, to_stderr
from .server import DEFAULT_USERNAME, ENV_PASSWORD, ENV_USERNAME
from .venvs import ensure_venv

DRIVER = Path(__file__).parent / "doccano_driver.py"
ENV_URL = "CSTO_DOCCANO_URL"
DEFAULT_URL = "http://127.0.0.1:8000"


class DoccanoError(ToolError):
    """doccano refused, failed, or did not answer in time."""


@dataclass
class Connection:
    """Where the server is and who logs in; ``from_env`` reads the CSTO_DOCCANO_* variables."""

    url: str
    username: str
    password: str
    venv_root: Optional[Path] = None
    timeout: float = 600.0

    @classmethod
    def from_env(
        cls,
        url: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        venv_root: Optional[Path] = None,
        timeout: float = 600.0,
    ) -> "Connection":
        password = password or os.environ.get(ENV_PASSWORD)
        if not password:
            raise DoccanoError(
                f"no doccano password: set ${ENV_PASSWORD} (serve printed it when it created the admin account)"
            )
        return cls(
            url=(url or os.environ.get(ENV_URL) or DEFAULT_URL).rstrip("/"),
            username=username or os.environ.get(ENV_USERNAME) or DEFAULT_USERNAME,
            password=password,
            venv_root=venv_root,
            timeout=timeout,
        )

    def call(self, op: str, args: Dict[str, Any], progress: Progress = to_stderr) -> Any:
        """Run one driver operation and return its result, or raise DoccanoError."""
        python = ensure_venv("client", self.venv_root, progress=progress)
        request = {"url": self.url, "username": self.username, "password": self.password, "op": op, "args": args}
        try:
            completed = subprocess.run(
                [str(python), "-P", str(DRIVER)],  # -P: the driver's siblings must not shadow packages
                input=json.dumps(request),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired as err:
            raise DoccanoError(
                f"doccano at {self.url} did not finish {op!r} within {self.timeout:.0f}s; is its task worker "
                "running? (`csto-events annotate serve` starts both; see DATA/logs/worker.log)"
            ) from err
        for line in completed.stderr.splitlines():
            print(f"  [doccano] {line}", file=sys.stderr)
        try:
            response = json.loads(completed.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError) as err:
            raise DoccanoError(
                f"the doccano driver gave no answer to {op!r} (exit {completed.returncode}):\n"
                f"{completed.stderr[-2000:]}"
            ) from err
        if not response.get("ok"):
            raise DoccanoError(f"doccano {op}: {response.get('error')}")
        return response["result"]
