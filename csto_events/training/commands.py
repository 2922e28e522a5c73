"""``csto-events train`` and ``csto-events config``: thin commands over ``train`` and ``configs``."""
from pathlib import Path
from typing import List, Optional

import typer

OVERRIDE_HELP = "Config override section.key=value, repeatable (e.g. --override training.max_steps=300)."


def train_command(
    config: Path = typer.Argument(Path("configs/default.cfg"), help="A config in configs/ (a full config or a variant)."),
    output_dir: Path = typer.Option(Path("training/models/default"), "--output", "-o"),
    docbins: Path = typer.Option(Path("training/data"), "--docbins", help="Folder with train.spacy and dev.spacy from `corpus convert`."),
    training_seed: int = typer.Option(0, "--training-seed", help="Seed of the training run (system.seed)."),
    gpu_id: int = typer.Option(-1, help="GPU id; -1 trains on CPU. With a GPU the allocator is set to pytorch."),
    override: Optional[List[str]] = typer.Option(None, "--override", help=OVERRIDE_HELP),
) -> None:
    """Train a pipeline on the train split, selecting on dev (never on test)."""
    from .configs import parse_override_options
    from .train import train_pipeline

    overrides = parse_override_options(override)
    if gpu_id >= 0:
        overrides.setdefault("system.gpu_allocator", "pytorch")
    best = train_pipeline(config, output_dir, docbins / "train.spacy", docbins / "dev.spacy", overrides, training_seed, gpu_id)
    typer.secho(f"Best model (by dev score): {best}", fg=typer.colors.GREEN)


def config_command(
    config: Path = typer.Argument(..., help="A config in configs/ (a full config or a variant)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the config here instead of stdout."),
    override: Optional[List[str]] = typer.Option(None, "--override", help=OVERRIDE_HELP),
) -> None:
    """Print the full config a variant stands for (its base with its changes merged), e.g. for `spacy debug config -`."""
    from .configs import load_config, parse_override_options

    text = load_config(config, parse_override_options(override)).to_str()
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
