"""``csto-events package``: the trained pipeline as a wheel that carries its own code.

spaCy's ``spacy package`` lays out the package (data folder, setup.py,
meta.json, README, the ``__init__`` with ``load()``); we call its
``package()`` for that and add three things it cannot do for this project:

1. The custom code. ``--code`` copies files flat into the package and adds
   ``from . import <module>`` to its ``__init__``, which is what we want, but
   it first imports each file as a top-level module to check it, and that
   fails for our modules, which import their siblings relatively
   (``from .scheme import ...``). So we copy every ``csto_events/pipeline/*.py``
   (except ``__init__.py``) into the package folder ourselves and add one
   ``from . import ...`` line, after checking that the files import nothing
   but spaCy, thinc and each other. In the installed package the relative
   imports then resolve to the siblings (``en_csto_events.scheme``).
2. The requirements. spaCy derives them from the registered functions'
   distributions; ours are registered by the editable ``csto_events`` install
   while packaging, so spaCy would require ``csto-events``. The wheel carries
   its own copy of that code, so that requirement is dropped.
3. The wheel is built with ``python -m build --wheel --no-isolation``: an
   isolated build would download setuptools, and packaging must work offline.
4. Lean equivalents, unless ``lean=False``: the package's copy of the
   pipeline gets md's vectors with a sorted-array key map and md's attribute
   ruler matching once per kind of token (``equivalents.py``), and its string
   store keeps only the strings the pipeline adds itself when it loads, not
   the text of every vector key (``strings.py``). Together about 210 MB less
   memory and a seventh less CPU time, and no annotation changes: with
   ``check_texts`` the lean and the original pipeline run over those texts
   and must agree token by token, vectors included, or packaging stops.

The meta gets the evaluation scores and the model card (``card.py``).
"""
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import srsly
from thinc.api import Config

import csto_events
import csto_events.pipeline  # noqa: F401  (registers the factories spaCy needs to load the model)

from .card import (
    dev_scores,
    flat_performance,
    label_scheme,
    model_card,
    pretrained_sources,
    read_scores,
    read_training_data,
)

PIPELINE_CODE_DIR = Path(csto_events.pipeline.__file__).parent
DEFAULT_NAME = "csto_events"
OWN_DISTRIBUTION = "csto-events"
INIT_ANCHOR = "from spacy.util import"


class PackagingError(RuntimeError):
    """Packaging cannot go on; the message says what to fix."""


@dataclass
class PackageResult:
    package: str  # importable name, e.g. en_csto_events
    version: str
    folder: Path  # the package source folder spaCy laid out
    wheel: Path
    meta: Dict[str, Any]


def shipped_modules(code_dir: Path = PIPELINE_CODE_DIR) -> List[Path]:
    """The pipeline's own modules; ``__init__.py`` stays behind (the package has spaCy's)."""
    files = sorted(p for p in Path(code_dir).glob("*.py") if p.name != "__init__.py")
    if not files:
        raise PackagingError(f"no Python modules in {code_dir}")
    return files


def check_self_contained(files: Sequence[Path]) -> None:
    """Every import is spaCy/thinc/third-party or a relative import of a shipped sibling.

    An absolute import of ``csto_events`` would work here and break in the
    installed wheel, so it is refused with file and line.
    """
    names = {f.stem for f in files}
    problems = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "csto_events":
                        problems.append(f"{path}:{node.lineno}: imports {alias.name}")
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and (node.module or "").split(".")[0] == "csto_events":
                    problems.append(f"{path}:{node.lineno}: imports from {node.module}")
                elif node.level > 1:
                    problems.append(f"{path}:{node.lineno}: relative import reaches outside the pipeline folder")
                elif node.level == 1:
                    wanted = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                    for module in wanted:
                        if module not in names:
                            problems.append(f"{path}:{node.lineno}: imports .{module}, which is not shipped")
    if problems:
        raise PackagingError(
            "the shipped pipeline code must import only spaCy, thinc and its siblings:\n  " + "\n  ".join(problems)
        )


def build_meta(
    model_dir: Path,
    name: str,
    version: str,
    scores_path: Optional[Path] = None,
    data_dir: Optional[Path] = None,
) -> Dict[str, Any]:
    """The package's meta.json: the trained pipeline's meta plus name, scores, card data."""
    meta = srsly.read_json(model_dir / "meta.json")
    config_paths = Config().from_disk(model_dir / "config.cfg", interpolate=False).get("paths", {})
    if scores_path is not None:
        scores, settings = read_scores(scores_path)
        confidence = settings.get("confidence", 0.95)
        details = ", ".join(f"{k} {v}" for k, v in settings.items() if k != "confidence")
        description = (
            f"Scores on the {settings.get('split', 'held-out')} set from `{Path(scores_path).name}`"
            f" with {100 * float(confidence):.0f}% bootstrap intervals" + (f" ({details})." if details else ".")
        )
        source = {"kind": "evaluation", "file": str(scores_path), **settings}
    else:
        scores = dev_scores(meta.get("performance", {}))
        description = (
            "Dev-set scores logged by `spacy train` for the selected model, without intervals. "
            "They are optimistic (the model was selected on them). Build with `--scores` and the "
            "evaluation suite's test scores to get held-out scores with intervals."
        )
        source = {"kind": "training dev set"}
    meta.update(
        {
            "name": name,
            "version": version,
            "description": (
                "Events from security-alliance news: MISSION and MEETING triggers with their AGENT, "
                "LEADER, PARTICIPANT and TIME arguments, plus ORG, PERSON and DATE entities."
            ),
            "author": meta.get("author") or "csto-events contributors",
            "license": "MIT",
            "sources": pretrained_sources(config_paths),
            "performance": flat_performance(scores),
        }
    )
    meta["csto_events"] = {
        "code_version": csto_events.__version__,
        "label_scheme": label_scheme(),
        "evaluation": {"description": description, "source": source, "scores": scores},
        "training_data": read_training_data(data_dir),
        "shipped_modules": [p.stem for p in shipped_modules()],
    }
    return meta


def package_pipeline(
    model_dir: Union[str, Path],
    output_dir: Union[str, Path],
    *,
    name: str = DEFAULT_NAME,
    version: Optional[str] = None,
    scores_path: Optional[Union[str, Path]] = None,
    data_dir: Optional[Union[str, Path]] = None,
    force: bool = False,
    lean: bool = True,
    check_texts: Sequence[Union[str, Path]] = (),
) -> PackageResult:
    """Build ``<output_dir>/en_<name>-<version>/dist/en_<name>-<version>-py3-none-any.whl``."""
    from spacy.cli.package import package as spacy_package

    model_dir, output_dir = Path(model_dir), Path(output_dir)
    for required in ("meta.json", "config.cfg"):
        if not (model_dir / required).is_file():
            raise PackagingError(f"{model_dir} is not a trained pipeline: {required} is missing")
    if not name.isidentifier() or "__" in name:
        raise PackagingError(f"package name {name!r} must be a Python identifier without '__'")
    version = version or csto_events.__version__
    code = shipped_modules()
    check_self_contained(code)
    meta = build_meta(model_dir, name, version, Path(scores_path) if scores_path else None, Path(data_dir) if data_dir else None)
    lang = meta["lang"]
    package = name if name.startswith(lang + "_") else f"{lang}_{name}"
    folder = output_dir / f"{package}-{version}"
    if folder.exists():
        if not force:
            raise PackagingError(f"{folder} exists: delete it or pass --force")
        shutil.rmtree(folder)
    output_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.json"
        srsly.write_json(meta_path, meta)
        try:
            spacy_package(model_dir, output_dir, meta_path=meta_path, create_sdist=False, create_wheel=False, require_parent=True, silent=True)
        except SystemExit as err:  # spaCy's CLI helpers exit instead of raising
            raise PackagingError(f"spacy package failed for {model_dir} (exit {err.code}); run `spacy package` on it to see why") from None
    package_dir = folder / package
    data_folder = package_dir / f"{package}-{version}"

    for path in code:
        shutil.copy(path, package_dir / path.name)
    _add_imports(package_dir / "__init__.py", [p.stem for p in code])

    final_meta = srsly.read_json(folder / "meta.json")
    final_meta["requirements"] = [r for r in final_meta.get("requirements", []) if not _requires(r, OWN_DISTRIBUTION)]
    if lean:
        final_meta.setdefault("csto_events", {})["lean"] = _make_lean_and_check(model_dir, data_folder, check_texts)
    srsly.write_json(folder / "meta.json", final_meta)
    card = model_card(final_meta)
    for target in (folder, data_folder):
        (target / "README.md").write_text(card, encoding="utf-8")
        (target / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")

    wheel = _build_wheel(folder)
    _check_wheel(wheel, package, [p.name for p in code])
    return PackageResult(package, version, folder, wheel, final_meta)


def _make_lean_and_check(model_dir: Path, data_folder: Path, check_texts: Sequence[Union[str, Path]]) -> Dict[str, Any]:
    """Swap in the lean equivalents, trim the string store; with texts, refuse a package whose output differs."""
    from .equivalents import describe_attribute_ruler, use_sorted_key_vectors, use_token_cached_attribute_ruler
    from .strings import check_texts as read_check_texts, compare_pipelines, trim_strings

    record: Dict[str, Any] = {
        "vectors": use_sorted_key_vectors(data_folder),
        "attribute_ruler": use_token_cached_attribute_ruler(data_folder),
        # Last: the strings kept are those the swapped pipeline adds when it loads.
        "string_store": trim_strings(data_folder).as_dict(),
    }
    if check_texts:
        import spacy

        texts = read_check_texts(check_texts)
        lean = spacy.load(data_folder)
        record["attribute_ruler"].update(describe_attribute_ruler(lean))
        comparison = compare_pipelines(spacy.load(model_dir), lean, texts)
        if not comparison.identical:
            raise PackagingError(
                f"the lean package changes the output on {comparison.different_docs} of {comparison.docs} texts:\n  "
                + "\n  ".join(comparison.differences)
            )
        record["check"] = {"texts": [str(t) for t in check_texts], **comparison.as_dict()}
    return record


def _requires(requirement: str, distribution: str) -> bool:
    name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower() == distribution


def _add_imports(init_py: Path, modules: Sequence[str]) -> None:
    """One import line in spaCy's generated ``__init__``, so loading the package registers the factories."""
    text = init_py.read_text(encoding="utf-8")
    lines = text.splitlines()
    anchor = next((i for i, line in enumerate(lines) if line.startswith(INIT_ANCHOR)), None)
    if anchor is None:
        raise PackagingError(f"{init_py}: spaCy's template changed (no line starting with {INIT_ANCHOR!r})")
    lines.insert(anchor + 1, "# The csto-events components, shipped with the package (registers their factories).")
    lines.insert(anchor + 2, f"from . import {', '.join(modules)}  # noqa: F401")
    init_py.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build_wheel(folder: Path) -> Path:
    dist = folder / "dist"
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-25:])
        raise PackagingError(f"building the wheel failed ({' '.join(command)}):\n{tail}")
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        raise PackagingError(f"expected one wheel in {dist}, found {[w.name for w in wheels]}")
    return wheels[0]


def _check_wheel(wheel: Path, package: str, code_files: Sequence[str]) -> None:
    """The wheel has the code, the meta, the config and the card; otherwise it would fail only when loaded."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    wanted = [f"{package}/__init__.py", f"{package}/meta.json"] + [f"{package}/{f}" for f in code_files]
    missing = [w for w in wanted if w not in names]
    for suffix in ("config.cfg", "meta.json", "README.md"):
        if not any(n.startswith(f"{package}/{package}-") and n.endswith("/" + suffix) for n in names):
            missing.append(f"{package}/{package}-*/{suffix}")
    if missing:
        raise PackagingError(f"{wheel} lacks {', '.join(missing)}")


def read_meta(wheel: Union[str, Path]) -> Dict[str, Any]:
    """The meta.json inside a built wheel."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/meta.json"))
        return json.loads(archive.read(name))


LICENSE_TEXT = """MIT License

Copyright (c) csto-events contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""
