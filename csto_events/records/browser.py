"""Headless Chromium for the records page: the DOM after its script ran, or a screenshot.

The page is checked in a real browser, not as a string, because what an
analyst sees is drawn by its script. Debian's ``chromium`` package
(``make install`` installs it when missing) runs with a throwaway profile
and without network, sandbox or GPU, so it works as root in a container.
"""
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List, Optional, Union

from ..errors import ToolError

NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
TIMEOUT = 90


def find_browser() -> str:
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise ToolError("no Chromium found (looked for chromium, chromium-browser, google-chrome): install it with "
                    "`apt-get install -y chromium` (make install does this)")


def _run(arguments: List[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="csto-chromium-") as profile:
        command = [find_browser(), *FLAGS, f"--user-data-dir={profile}", *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0:
        raise ToolError(f"chromium exited with {result.returncode}: {result.stderr.strip()[-500:]}")
    return result


def page_url(page: Union[str, Path], fragment: str = "") -> str:
    return Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")


def dump_dom(page: Union[str, Path], fragment: str = "") -> str:
    """The page's DOM as serialised by Chromium once its scripts have run (``--dump-dom``)."""
    return _run(["--virtual-time-budget=5000", "--dump-dom", page_url(page, fragment)]).stdout


def screenshot(page: Union[str, Path], png: Union[str, Path], width: int = 1200, height: int = 900, fragment: str = "") -> Path:
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--window-size={width},{height}", "--virtual-time-budget=5000", f"--screenshot={png}", page_url(page, fragment)])
    if not png.is_file() or png.stat().st_size == 0:
        raise ToolError(f"chromium wrote no screenshot to {png}")
    return png
