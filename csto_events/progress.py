"""One shape for progress: a function that takes one line, and tqdm for counted work.

A long step reports what it is doing through ``progress: Optional[Progress]``,
a function that takes one line of text, never a file handle, a class or a
logger; ``None`` means quiet. The command line passes ``to_stderr``, so
progress never mixes with a command's output on stdout; a test passes
``lines.append`` and reads what was said. Work whose size is known in advance
(timed passes, uploads) goes through ``counted``: a tqdm bar on stderr, shown
only when progress is wanted. spaCy installs tqdm, so it costs no dependency.
"""
import sys
from typing import Callable, Iterable, Iterator, Optional, TypeVar

Progress = Callable[[str], None]
T = TypeVar("T")


def to_stderr(message: str) -> None:
    """The command line's progress: one line on stderr, flushed so it shows while the work runs."""
    print(message, file=sys.stderr, flush=True)


def counted(items: Iterable[T], total: int, description: str, progress: Optional[Progress]) -> Iterator[T]:
    """``items`` with a tqdm bar on stderr while progress is wanted (``progress`` is not None)."""
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=description, disable=progress is None, file=sys.stderr, leave=False)
