"""Two copies of the component code in one process: the same code is fine, different code is loud.

Each case runs in a new process, as the registry is per process: the
repository's ``csto_events.pipeline`` and a copy of its modules laid out as
``csto-events package`` lays them out (flat, with an ``__init__.py`` of its own).
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csto_events.packaging.package import shipped_modules
from csto_events.pipeline.registration import code_fingerprint

REPO = Path(__file__).parent.parent


def packaged_copy(folder: Path, edit: str = "") -> Path:
    """The pipeline modules copied into ``folder/pkgcopy``; ``edit`` is appended to candidates.py."""
    package = folder / "pkgcopy"
    package.mkdir()
    modules = shipped_modules()
    for path in modules:
        shutil.copy(path, package / path.name)
    (package / "__init__.py").write_text("".join(f"from . import {p.stem}  # noqa: F401\n" for p in modules))
    if edit:
        with (package / "candidates.py").open("a", encoding="utf-8") as file:
            file.write(edit)
    return package


def run(folder: Path, *imports: str) -> subprocess.CompletedProcess:
    code = "".join(f"import {name}\n" for name in imports) + (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        "print(type(nlp.add_pipe('csto_event_arguments')).__module__)\n"
    )
    env = {"PYTHONPATH": f"{folder}:{REPO}", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_the_same_code_twice_registers_once(tmp_path):
    copy = packaged_copy(tmp_path)
    assert code_fingerprint(copy) == code_fingerprint()
    done = run(tmp_path, "csto_events.pipeline", "pkgcopy")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "csto_events.pipeline.event_arguments"  # the first copy owns the factory


@pytest.mark.parametrize("order", [("csto_events.pipeline", "pkgcopy"), ("pkgcopy", "csto_events.pipeline")])
def test_different_code_fails_loudly_in_either_order(tmp_path, order):
    copy = packaged_copy(tmp_path, edit="\n# a change made after the package was built\n")
    assert code_fingerprint(copy) != code_fingerprint()
    done = run(tmp_path, *order)
    assert done.returncode != 0
    assert "ComponentCodeMismatch" in done.stderr
    assert str(copy.resolve()) in done.stderr and str((REPO / "csto_events" / "pipeline").resolve()) in done.stderr
