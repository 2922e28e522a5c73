"""Static vectors whose key-to-row map is two sorted arrays: the same vectors in a third of the memory.

en_core_web_md has 20,000 vector rows but 684,830 keys: most words share the
row of a similar frequent word. spaCy's ``Vectors`` keeps that map as a
Python dict, and 684,830 dict entries with their int objects cost about
76 MB of resident memory, three times the 23 MB table itself (the profile in
``evaluation/benchmark/profile.md``). Two sorted NumPy arrays (uint64 keys,
int32 rows) hold the same map in 8 MB, and ``numpy.searchsorted`` looks up a
whole batch at once.

This class is a spaCy ``BaseVectors`` (the extension point behind
``[nlp.vectors]``): ``StaticVectors`` layers call ``get_batch``, tokens and
lexemes call ``__contains__`` and ``__getitem__``, and the vocab reads a
lexeme's rank through ``key2row.get``. Each answers what ``Vectors`` answers
for the same key: the same row of the same table, a zero vector for an
unknown key, the same rank. It is read-only (the packaged pipeline never adds
vectors), so ``add`` refuses. ``csto-events package`` converts the package's
copy of the vectors into this format and ``compare_pipelines`` checks every
token's vector and annotation against the original.
"""
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Tuple, Union

import numpy
import srsly
from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.util import registry
from spacy.vectors import BaseVectors, Mode
from thinc.api import Ops, get_current_ops

SORTED_KEY_VECTORS = "csto_events.SortedKeyVectors.v1"
# The files in the vocab folder; spaCy's own Vectors reads none of them, so
# loading this format without its config fails loudly instead of giving zeros.
TABLE_FILE = "sorted_key_vectors.table.npy"
KEYS_FILE = "sorted_key_vectors.keys.npy"
ROWS_FILE = "sorted_key_vectors.rows.npy"
CFG_FILE = "sorted_key_vectors.cfg"


class VectorsFormatError(ValueError):
    """The vectors cannot be stored or read in this format; the message says which file or why."""


class SortedKeyVectors(BaseVectors):
    """Read-only default-mode vectors: ``table[rows[searchsorted(keys, key)]]``."""

    def __init__(
        self,
        *,
        strings=None,
        table: Optional[numpy.ndarray] = None,
        keys: Optional[numpy.ndarray] = None,
        rows: Optional[numpy.ndarray] = None,
        name: Optional[str] = None,
        attr: int = ORTH,
    ) -> None:
        self.strings = strings
        self.name = name
        self.attr = attr
        self.mode = Mode.default
        self.data = numpy.zeros((0, 0), dtype="float32") if table is None else table
        self.keys_sorted = numpy.zeros((0,), dtype="uint64") if keys is None else keys
        self.rows_sorted = numpy.zeros((0,), dtype="int32") if rows is None else rows
        self._check()

    @classmethod
    def from_vectors(cls, vectors) -> "SortedKeyVectors":
        """The same map and table as a spaCy ``Vectors`` in default mode."""
        if vectors.mode != Mode.default:
            raise VectorsFormatError(f"only default-mode vectors can be stored sorted, not {vectors.mode!r}")
        pairs = sorted(vectors.key2row.items())
        keys = numpy.fromiter((k for k, _ in pairs), dtype="uint64", count=len(pairs))
        rows = numpy.fromiter((r for _, r in pairs), dtype="int32", count=len(pairs))
        table = numpy.ascontiguousarray(get_current_ops().to_numpy(vectors.data), dtype="float32")
        return cls(strings=vectors.strings, table=table, keys=keys, rows=rows, name=vectors.name, attr=vectors.attr)

    def _check(self) -> None:
        if self.keys_sorted.shape != self.rows_sorted.shape:
            raise VectorsFormatError(f"{len(self.keys_sorted)} keys but {len(self.rows_sorted)} rows")
        if len(self.keys_sorted) > 1 and not bool(numpy.all(self.keys_sorted[1:] > self.keys_sorted[:-1])):
            raise VectorsFormatError("the keys are not sorted and unique")
        if len(self.rows_sorted) and (self.rows_sorted.min() < 0 or self.rows_sorted.max() >= self.data.shape[0]):
            raise VectorsFormatError(f"a row lies outside the table of {self.data.shape[0]} rows")

    # --- lookups ------------------------------------------------------------------------
    def find_rows(self, keys: Iterable[int]) -> numpy.ndarray:
        """The row of every key, -1 where a key has none (what ``Vectors.find(keys=...)`` gives)."""
        keys = numpy.asarray(keys, dtype="uint64").reshape(-1)
        if not len(self.keys_sorted):
            return numpy.full(keys.shape, -1, dtype="int32")
        at = numpy.minimum(numpy.searchsorted(self.keys_sorted, keys), len(self.keys_sorted) - 1)
        return numpy.where(self.keys_sorted[at] == keys, self.rows_sorted[at], -1).astype("int32")

    def get_batch(self, keys: Iterable[int]) -> numpy.ndarray:
        """One vector per key, zeros where a key has none (what StaticVectors makes of Vectors)."""
        rows = self.find_rows(keys)
        batch = self.data[numpy.maximum(rows, 0)]
        batch[rows < 0] = 0
        return batch

    def _row(self, key: Union[str, int]) -> int:
        return int(self.find_rows([get_string_id(key)])[0])

    def __getitem__(self, key: Union[str, int]) -> numpy.ndarray:
        row = self._row(key)
        if row < 0:
            raise KeyError(f"no vector for key {key!r}")
        return self.data[row]

    def __contains__(self, key: Union[str, int]) -> bool:
        return self._row(key) >= 0

    @property
    def key2row(self) -> "_KeyToRow":
        """The map as the vocab reads it (``key2row.get(orth, OOV_RANK)`` gives a lexeme's rank)."""
        return _KeyToRow(self)

    def __iter__(self) -> Iterator[int]:
        return iter(self.keys_sorted.tolist())

    def __len__(self) -> int:
        return self.data.shape[0]

    @property
    def shape(self) -> Tuple[int, int]:
        return self.data.shape

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def n_keys(self) -> int:
        return len(self.keys_sorted)

    @property
    def vectors_length(self) -> int:
        return self.data.shape[1]

    @property
    def is_full(self) -> bool:
        return True  # read-only: no free row for a new key

    def add(self, key, *, vector=None, row=None):
        raise VectorsFormatError("SortedKeyVectors are read-only; load the trained pipeline (spaCy's Vectors) to add vectors")

    def to_ops(self, ops: Ops) -> None:
        self.data = ops.asarray(self.data)

    # --- serialisation -------------------------------------------------------------------
    def to_disk(self, path: Union[str, Path], **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        numpy.save(path / TABLE_FILE, self.data)
        numpy.save(path / KEYS_FILE, self.keys_sorted)
        numpy.save(path / ROWS_FILE, self.rows_sorted)
        srsly.write_json(path / CFG_FILE, {"name": self.name, "attr": int(self.attr)})

    def from_disk(self, path: Union[str, Path], **kwargs: Any) -> "SortedKeyVectors":
        path = Path(path)
        missing = [f for f in (TABLE_FILE, KEYS_FILE, ROWS_FILE, CFG_FILE) if not (path / f).is_file()]
        if missing:
            raise VectorsFormatError(f"{path}: {', '.join(missing)} missing; the config asks for {SORTED_KEY_VECTORS}")
        self.data = numpy.load(path / TABLE_FILE)
        self.keys_sorted = numpy.load(path / KEYS_FILE)
        self.rows_sorted = numpy.load(path / ROWS_FILE)
        cfg = srsly.read_json(path / CFG_FILE)
        self.name, self.attr = cfg.get("name"), int(cfg.get("attr", ORTH))
        self._check()
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return srsly.msgpack_dumps(
            {"table": self.data, "keys": self.keys_sorted, "rows": self.rows_sorted, "name": self.name, "attr": int(self.attr)}
        )

    def from_bytes(self, data: bytes, **kwargs: Any) -> "SortedKeyVectors":
        msg = srsly.msgpack_loads(data)
        self.data, self.keys_sorted, self.rows_sorted = msg["table"], msg["keys"], msg["rows"]
        self.name, self.attr = msg["name"], msg["attr"]
        self._check()
        return self

    def __reduce__(self):
        return (_unpickle, (self.to_bytes(),))


class _KeyToRow:
    """The read-only ``dict`` face of the map, for the vocab's rank lookup."""

    def __init__(self, vectors: SortedKeyVectors) -> None:
        self._vectors = vectors

    def get(self, key: int, default: Any = None) -> Any:
        row = self._vectors._row(key)
        return default if row < 0 else row

    def __contains__(self, key: int) -> bool:
        return self._vectors._row(key) >= 0

    def __getitem__(self, key: int) -> int:
        row = self._vectors._row(key)
        if row < 0:
            raise KeyError(key)
        return row

    def __len__(self) -> int:
        return self._vectors.n_keys


def _unpickle(data: bytes) -> SortedKeyVectors:
    return SortedKeyVectors().from_bytes(data)


@registry.vectors(SORTED_KEY_VECTORS)
def create_sorted_key_vectors() -> Callable[[Any], BaseVectors]:
    """``[nlp.vectors] @vectors = "csto_events.SortedKeyVectors.v1"``; the files come from ``from_disk``."""

    def make(vocab) -> BaseVectors:
        return SortedKeyVectors(strings=vocab.strings)

    return make
