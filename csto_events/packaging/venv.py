"""A fresh virtual environment with nothing but a built wheel installed, offline.

Used by the install test and by the benchmark, so the packaged pipeline is
measured and checked exactly as a user gets it: ``pip install`` of the wheel,
then ``spacy.load`` by name in a new process, outside this repository.

How dependencies get there without a network: the wheel is installed with
``pip install --no-index --no-deps``, and the environment sees the already
installed dependencies (spaCy, thinc, numpy ...) through one ``.pth`` line
naming a read-only view of this interpreter's site-packages: a folder of
symlinks to every entry there except the files of ``csto-events`` itself
(found through its RECORD). So the new environment has neither the
``csto_events`` code nor its metadata and spaCy entry points, as on a user's
machine without the repository; the install test asserts that ``import
csto_events`` fails there. ``--no-deps`` could hide a missing requirement, so
``unmet_requirements`` checks every requirement the wheel declares against
what the environment has.
"""
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Union

SHARED_PTH = "_shared_dependencies.pth"
SHARED_VIEW = "shared-site-packages"
HIDDEN_DISTRIBUTIONS = ("csto-events",)


class WheelEnvError(RuntimeError):
    """The environment could not be made; the message has the failing command's output."""


def clean_env() -> Dict[str, str]:
    """The process environment without anything that would put this repository on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INDEX"] = "1"
    return env


def run(command: Sequence[str], cwd: Optional[Path] = None) -> subprocess.CompletedProcess:
    done = subprocess.run(list(map(str, command)), cwd=cwd, env=clean_env(), capture_output=True, text=True)
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise WheelEnvError(f"command failed ({' '.join(map(str, command))}):\n{output}")
    return done


def env_python(env_dir: Path) -> Path:
    return Path(env_dir) / "bin" / "python"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_entries(site: Path, distributions: Sequence[str]) -> Set[str]:
    """Top-level names in ``site`` that belong to ``distributions`` (their dist-info and RECORD)."""
    wanted = {_canonical(d) for d in distributions}
    entries: Set[str] = set()
    for dist_info in site.glob("*.dist-info"):
        if _canonical(dist_info.name[: -len(".dist-info")].rsplit("-", 1)[0]) not in wanted:
            continue
        entries.add(dist_info.name)
        record = dist_info / "RECORD"
        for line in record.read_text(encoding="utf-8").splitlines() if record.exists() else []:
            top = line.split(",", 1)[0].split("/", 1)[0]
            if top and top not in ("..", "__pycache__"):
                entries.add(top)
    return entries


def shared_view(site: Path, view: Path, hide: Sequence[str] = HIDDEN_DISTRIBUTIONS) -> Path:
    """A folder of symlinks to everything in ``site`` except the files of ``hide``."""
    hidden = distribution_entries(site, hide)
    view.mkdir(parents=True)
    for entry in sorted(site.iterdir()):
        if entry.name not in hidden:
            (view / entry.name).symlink_to(entry)
    return view


def make_wheel_env(wheel: Union[str, Path], env_dir: Union[str, Path], shared_site: Optional[Path] = None) -> Path:
    """Create ``env_dir``, install ``wheel`` offline; returns the environment's python."""
    wheel, env_dir = Path(wheel).resolve(), Path(env_dir).resolve()
    if not wheel.is_file():
        raise WheelEnvError(f"no wheel at {wheel}")
    shared_site = Path(shared_site or sysconfig.get_paths()["purelib"]).resolve()
    run([sys.executable, "-m", "venv", env_dir])
    python = env_python(env_dir)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    view = shared_view(shared_site, env_dir / SHARED_VIEW)
    (site / SHARED_PTH).write_text(f"{view}\n", encoding="utf-8")
    run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel], cwd=env_dir)
    return python


UNMET_SCRIPT = """
import sys
from importlib import metadata
from packaging.requirements import Requirement
unmet = []
for line in metadata.requires(sys.argv[1]) or []:
    req = Requirement(line)
    if req.marker is not None and not req.marker.evaluate():
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        unmet.append(f"{line} (not installed)")
        continue
    if not req.specifier.contains(version, prereleases=True):
        unmet.append(f"{line} (found {version})")
print("\\n".join(unmet))
"""


def unmet_requirements(python: Path, distribution: str, cwd: Path) -> List[str]:
    """Requirements of ``distribution`` that ``python`` cannot satisfy (empty when all are met)."""
    out = run([python, "-c", UNMET_SCRIPT, distribution], cwd=cwd).stdout
    return [line for line in out.splitlines() if line.strip()]
