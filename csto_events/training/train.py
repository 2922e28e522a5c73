"""Train a pipeline from a config with spaCy's own training loop.

A thin layer over spaCy's ``init_nlp`` and training loop (what ``spacy
train`` runs): it reads the config with ``configs.load_config``, so a variant
is merged onto its base, fills the paths of the pretrained weights, the data
and the seed, so the config stays the single source of every hyperparameter,
and returns where the best model was saved.
"""
import os
import sys
from pathlib import Path
from typing import Any, Dict, Optional

from spacy.cli._util import setup_gpu, show_validation_error
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_nlp
from wasabi import msg

import csto_events.pipeline  # noqa: F401  (registers the custom components)

from .configs import load_config
from .pretrained import pretrained_overrides

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def config_overrides(config: Path, train_path: Path, dev_path: Path, seed: int, extra: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Only the overrides the config has a [paths] entry for, so every config accepts them."""
    paths = load_config(config).get("paths", {})
    overrides: Dict[str, Any] = {k: v for k, v in pretrained_overrides().items() if k.split(".", 1)[1] in paths}
    overrides.update({"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": seed})
    overrides.update(extra or {})
    return overrides


def train_pipeline(
    config: Path,
    output_dir: Path,
    train_path: Path,
    dev_path: Path,
    overrides: Optional[Dict[str, Any]] = None,
    seed: int = 0,
    use_gpu: int = -1,
) -> Path:
    """Train with ``spacy train``; returns the ``model-best`` folder (selected on dev, never test)."""
    for path in (config, train_path, dev_path):
        if not Path(path).exists():
            raise FileNotFoundError(f"{path} does not exist (run `csto-events corpus convert` first?)")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    overrides = config_overrides(Path(config), Path(train_path), Path(dev_path), seed, overrides)
    setup_gpu(use_gpu)
    with show_validation_error(config):
        full_config = load_config(config, overrides)
    msg.divider("Initializing pipeline")
    with show_validation_error(config, hint_fill=False):
        nlp = init_nlp(full_config, use_gpu=use_gpu)
    msg.good("Initialized pipeline")
    msg.divider("Training pipeline")
    train_nlp(nlp, output_dir, use_gpu=use_gpu, stdout=sys.stdout, stderr=sys.stderr)
    return output_dir / "model-best"
