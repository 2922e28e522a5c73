"""The project's errors: one base class, and the one place the CLI reports them.

An error the user can act on (a bad corpus line, a missing file, a server
that did not start) must reach them as one readable message that names the
file, line and span, not as a traceback; a bug must keep its traceback. So
every error raised on purpose derives from ``CstoEventsError``, and the
command line (``cli.py``, its one handler) turns exactly those, and the
``ValueError``/``OSError`` that spaCy, thinc and the standard library raise
for bad input, which name their file too (and ``ImportError``, for a missing
optional package), into a red message and exit code 1. ``CSTO_EVENTS_TRACEBACK=1`` shows the traceback anyway. This module
imports nothing heavy, so any module can raise these errors.

The subclasses say what kind of thing went wrong, so a caller can tell bad
data (fix the file) from a failing tool (look at its log). Each keeps the
built-in base it had before (``ValueError`` or ``RuntimeError``), so existing
``except ValueError`` code still catches it.
"""
import sys
from typing import Tuple, Type


class CstoEventsError(Exception):
    """Base of every error the project raises on purpose; its message is for the user."""


class DataError(CstoEventsError, ValueError):
    """Input data is wrong: a corpus file, a markup draft, a predictions file, a report, a README marker."""


class ToolError(CstoEventsError, RuntimeError):
    """Something outside this process failed: a doccano server or venv, a subprocess, a Dask cluster."""


# Errors of modules other developers own that are not ValueErrors (those are
# reported already) and do not derive from the base yet, by module and class
# name. They are matched only when their module has been imported (otherwise
# nothing can have raised them), so listing them costs no import. Remove an
# entry once its class derives from CstoEventsError.
_NOT_YET_DERIVED: Tuple[Tuple[str, str], ...] = (
    ("csto_events.packaging.benchmark", "BenchmarkError"),
    ("csto_events.packaging.package", "PackagingError"),
    ("csto_events.packaging.venv", "WheelEnvError"),
)


def reported_errors() -> Tuple[Type[BaseException], ...]:
    """The exception classes the CLI reports as a message instead of a traceback."""
    classes = [CstoEventsError, ValueError, OSError, ImportError]
    for module, name in _NOT_YET_DERIVED:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type):
            classes.append(cls)
    return tuple(classes)
