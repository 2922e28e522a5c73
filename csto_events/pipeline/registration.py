"""Register a spaCy factory once per process, and refuse two different copies of the code.

The same component code lives in two places: in ``csto_events.pipeline`` and,
copied by ``csto-events package``, inside the packaged pipeline. Loading the
packaged pipeline in a process that also imports csto_events (directly, or
through spaCy's entry points) registers each factory twice, which spaCy
refuses (E004). Only one copy can own a factory name, so whichever registers
first would build the components of every pipeline in the process.

That is harmless when both copies are the same code, and a silent skew when
they are not (a wheel built before the repository changed, or the other way
round): the pipeline would run code it was not built with. So every factory
carries a fingerprint of the code folder that registered it, a hash of all
the sibling modules. A second registration with the same fingerprint is
skipped; one with another fingerprint raises :class:`ComponentCodeMismatch`,
naming both folders.
"""
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Tuple

from spacy.language import Language
from spacy.util import registry

CODE_FOLDER = Path(__file__).resolve().parent
# The attribute on a registered factory function: (fingerprint, code folder).
FINGERPRINT_ATTR = "csto_events_code"


class ComponentCodeMismatch(ValueError):
    """Two different copies of the component code tried to register the same factory."""


@lru_cache(maxsize=None)
def code_fingerprint(folder: Path = CODE_FOLDER) -> str:
    """SHA-256 over the names and bytes of the folder's modules (``__init__.py`` aside).

    ``__init__.py`` differs by design (the package's is spaCy's); every other
    module is copied byte for byte into the package, so equal code gives an
    equal fingerprint, and any edit to any module changes it.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        if path.name == "__init__.py":
            continue
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _origin(func: Callable) -> Tuple[str, str]:
    return getattr(func, FINGERPRINT_ATTR, ("", ""))


def factory(name: str, **meta: Any) -> Callable[[Callable], Callable]:
    """``Language.factory`` that tolerates a second registration by identical code only."""

    def register(func: Callable) -> Callable:
        setattr(func, FINGERPRINT_ATTR, (code_fingerprint(), str(CODE_FOLDER)))
        try:
            return Language.factory(name, **meta)(func)
        except ValueError as err:
            if "[E004]" not in str(err):
                raise
            existing = registry.factories.get(Language.get_factory_name(name))
            theirs, ours = _origin(existing), _origin(func)
            if not theirs[0]:
                raise  # a factory of that name from somewhere else: spaCy's own error says it
            if theirs[0] != ours[0]:
                raise ComponentCodeMismatch(
                    f"spaCy factory {name!r} is already registered by the csto-events component code in "
                    f"{theirs[1]}, which differs from the copy in {ours[1]} (code fingerprints "
                    f"{theirs[0][:12]} and {ours[0][:12]}). One process can use only one copy, so a pipeline "
                    "would silently run code it was not built with. Load the packaged pipeline where "
                    "csto_events is not imported, or rebuild and reinstall it from this code "
                    "(`csto-events package`), or load the pipeline folder instead of the package."
                ) from None
            return func

    return register
