"""Training configs: full spaCy configs, and variants that state only their difference.

A variant (``configs/variants/*.cfg``) is a small config with a ``[variant]``
section naming the config it changes; its other sections are merged onto that
base with thinc's ``Config.merge``, so the file shows exactly what the
variant changes and a fix to the default reaches every variant::

    [variant]
    base = "../default.cfg"           # relative to the variant file
    replace = ["components.ner"]      # blocks taken whole from the variant

``Config.merge`` keeps the base's keys that the variant does not set, which is
right for changing one setting and wrong for swapping a component's kind (a
sourced ``ner`` for a new one); ``replace`` lists the blocks whose base
version is dropped first. A block whose registered function changes (a
listener for a ``Tok2Vec``) is replaced by ``Config.merge`` itself.

``load_config`` is the one reader every command uses (``train``, ``evaluate
run --config``, ``make variants``); ``csto-events config`` prints the merged
config, for ``spacy debug config -`` and for reading.
"""
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from thinc.api import Config

from ..errors import DataError

VARIANT_SECTION = "variant"


def _section_order() -> List[str]:
    from spacy.util import CONFIG_SECTION_ORDER

    return list(CONFIG_SECTION_ORDER)


def load_config(
    path: Union[str, Path], overrides: Optional[Dict[str, Any]] = None, interpolate: bool = False,
) -> Config:
    """The full config of ``path``: read as spaCy reads it, a variant merged onto its base first."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"config not found: {path}")
    merged = _merged(path, seen=())
    # Through text, as spaCy's own loader does, so overrides and interpolation
    # behave exactly as for a full config file.
    return Config(section_order=_section_order()).from_str(merged.to_str(), overrides=overrides or {}, interpolate=interpolate)


def is_variant(path: Union[str, Path]) -> bool:
    return VARIANT_SECTION in Config().from_disk(path, interpolate=False)


def _merged(path: Path, seen: tuple) -> Config:
    if path.resolve() in seen:
        raise DataError(f"{path}: variants refer to each other in a circle: {' -> '.join(map(str, seen))}")
    config = Config(section_order=_section_order()).from_disk(path, interpolate=False)
    variant = config.pop(VARIANT_SECTION, None)
    if variant is None:
        return config
    if not isinstance(variant.get("base"), str):
        raise DataError(f"{path}: [{VARIANT_SECTION}] needs base = \"<config it changes>\"")
    base_path = path.parent / variant["base"]
    if not base_path.is_file():
        raise DataError(f"{path}: base config {base_path} not found")
    base = _merged(base_path, seen + (path.resolve(),))
    for dotted in variant.get("replace", []):
        _drop(base, dotted, path)
    return base.merge(config)


def _drop(config: Config, dotted: str, path: Path) -> None:
    *parents, last = dotted.split(".")
    node: Any = config
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or last not in node:
        raise DataError(f"{path}: replace names {dotted!r}, which its base config does not have")
    del node[last]


def parse_override_options(items: Optional[List[str]]) -> Dict[str, Any]:
    """``--override section.key=value`` items as spaCy reads its own ``--section.key value`` options.

    spaCy's ``parse_config_overrides`` reads each value as JSON when it parses
    (numbers, booleans, null, lists) and as a string otherwise. Only the
    command line counts: spaCy's ``SPACY_CONFIG_OVERRIDES`` variable is not
    read, because reports record the overrides they were trained with.
    """
    from spacy.cli._util import parse_config_overrides

    for item in items or []:
        key, sep, _ = item.partition("=")
        if not sep or "." not in key or not key.strip():
            raise DataError(f"config override {item!r} is not of the form section.key=value")
    return parse_config_overrides([f"--{item.strip()}" for item in items or []], env_var=None)
