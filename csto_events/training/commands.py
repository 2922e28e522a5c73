"""``csto-events train``: a thin command over ``train_pipeline``."""
from pathlib import Path
from typing import List, Optional

import typer

from .train import train_pipeline


def train_command(
    config: Path = typer.Argument(Path("configs/default.cfg"), help="A config in configs/."),
    output_dir: Path = typer.Option(Path("training/models/default"), "--output", "-o"),
    data_dir: Path = typer.Option(Path("training/data"), "--data", help="Output of `corpus convert`."),
    seed: int = typer.Option(0, help="Training seed (system.seed)."),
    gpu_id: int = typer.Option(-1, help="GPU id; -1 trains on CPU. With a GPU the allocator is set to pytorch."),
    override: Optional[List[str]] = typer.Option(None, "--set", help="Config override, e.g. --set training.max_steps=50"),
) -> None:
    """Train a pipeline on the train split, selecting on dev (never on test)."""
    overrides = {}
    for item in override or []:
        key, _, value = item.partition("=")
        overrides[key] = _parse_value(value)
    if gpu_id >= 0:
        overrides.setdefault("system.gpu_allocator", "pytorch")
    best = train_pipeline(config, output_dir, data_dir / "train.spacy", data_dir / "dev.spacy", overrides, seed, gpu_id)
    typer.secho(f"Best model (by dev score): {best}", fg=typer.colors.GREEN)


def _parse_value(value: str):
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"true": True, "false": False, "null": None}.get(value, value)
