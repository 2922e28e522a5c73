"""Register a spaCy factory once, whichever copy of this code is imported first.

The same component code lives in two places: in ``csto_events.pipeline`` and,
copied by ``spacy package --code``, inside the packaged pipeline. Loading the
packaged pipeline in a process that also imports csto_events (directly, or
through spaCy's entry points) registers each factory twice, which spaCy
refuses (E004). Both copies are the same code, so the second registration is
skipped instead.
"""
from typing import Any, Callable

from spacy.language import Language


def factory(name: str, **meta: Any) -> Callable[[Callable], Callable]:
    def register(func: Callable) -> Callable:
        try:
            return Language.factory(name, **meta)(func)
        except ValueError as err:
            if "[E004]" not in str(err):
                raise
            return func

    return register
