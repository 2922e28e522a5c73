"""Swap parts of the package's copy of the pipeline for equivalents that are faster or smaller.

Each swap changes how a part computes or stores its answer, never the answer:
- ``use_sorted_key_vectors``: md's vectors, key map as two sorted arrays
  instead of a dict (``pipeline/sorted_key_vectors.py``; about 67 MB less
  resident memory);
- ``use_token_cached_attribute_ruler``: md's attribute ruler, one-token
  patterns matched once per kind of token instead of at every token
  (``pipeline/attribute_ruler.py``; about a seventh of the CPU time).

Both run on the package's data folder, after spaCy laid it out; the trained
model folder is not touched, so training from it and evaluating it stay as
they were. ``package_pipeline`` then runs the original and the swapped
pipeline over texts with ``compare_pipelines`` and refuses a package whose
output differs anywhere.
"""
from pathlib import Path
from typing import Any, Callable, Dict, Union

from thinc.api import Config

from ..errors import ToolError

VOCAB = "vocab"
# spaCy's own Vectors files, replaced by the sorted-key files.
STOCK_VECTOR_FILES = ("vectors", "key2row", "vectors.cfg", "keys")


class EquivalentError(ToolError):
    """A swap cannot be made on this pipeline; the message says which file or component."""


def _edit_config(model_dir: Path, edit: Callable[[Config], None]) -> None:
    path = model_dir / "config.cfg"
    config = Config().from_disk(path, interpolate=False)
    edit(config)
    config.to_disk(path)


def use_sorted_key_vectors(model_dir: Union[str, Path]) -> Dict[str, Any]:
    """Rewrite ``model_dir/vocab``'s vectors as SortedKeyVectors and point ``[nlp.vectors]`` at them."""
    from spacy.vectors import Vectors

    from ..pipeline.sorted_key_vectors import SORTED_KEY_VECTORS, SortedKeyVectors

    model_dir = Path(model_dir)
    vocab_dir = model_dir / VOCAB
    if not (vocab_dir / "vectors").is_file():
        raise EquivalentError(f"{vocab_dir}: no spaCy vectors file to convert")
    stock = Vectors().from_disk(vocab_dir)
    if stock.shape[0] == 0:
        return {"skipped": "the pipeline has no vectors"}
    sorted_vectors = SortedKeyVectors.from_vectors(stock)
    bytes_before = sum((vocab_dir / f).stat().st_size for f in STOCK_VECTOR_FILES if (vocab_dir / f).is_file())
    for name in STOCK_VECTOR_FILES:
        if (vocab_dir / name).is_file():
            (vocab_dir / name).unlink()
    sorted_vectors.to_disk(vocab_dir)

    def point_at_sorted_vectors(config: Config) -> None:
        config["nlp"]["vectors"] = {"@vectors": SORTED_KEY_VECTORS}

    _edit_config(model_dir, point_at_sorted_vectors)
    files = [p for p in vocab_dir.iterdir() if p.name.startswith("sorted_key_vectors.")]
    return {
        "format": SORTED_KEY_VECTORS,
        "rows": int(sorted_vectors.shape[0]),
        "width": int(sorted_vectors.shape[1]),
        "keys": sorted_vectors.n_keys,
        "bytes_before": bytes_before,
        "bytes_after": sum(p.stat().st_size for p in files),
    }


def use_token_cached_attribute_ruler(model_dir: Union[str, Path], component: str = "attribute_ruler") -> Dict[str, Any]:
    """Give ``component`` the token-cached factory; its saved patterns load unchanged."""
    from ..pipeline.attribute_ruler import ATTRIBUTE_RULER

    path = Path(model_dir) / "config.cfg"
    config = Config().from_disk(path, interpolate=False)
    settings = config.get("components", {}).get(component)
    if settings is None:
        return {"skipped": f"the pipeline has no component {component!r}"}
    if settings.get("factory") != "attribute_ruler":
        raise EquivalentError(f"{path}: {component!r} is made by {settings.get('factory')!r}, not spaCy's attribute_ruler")
    settings["factory"] = ATTRIBUTE_RULER
    config.to_disk(path)
    return {"component": component, "factory": ATTRIBUTE_RULER}


def describe_attribute_ruler(nlp, component: str = "attribute_ruler") -> Dict[str, int]:
    """How many match keys the loaded ruler answers per kind of token, and how many over the whole Doc."""
    if component not in nlp.pipe_names:
        return {}
    ruler = nlp.get_pipe(component)
    return {"token_cached_keys": len(ruler.token_matcher), "doc_keys": len(ruler.doc_matcher)}
