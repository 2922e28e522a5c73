"""The ``csto-events`` command: one sub-command per workflow step.

Each command only parses arguments and prints; the work is done by a plain
function in the module that owns it, which is what the tests call. The
command modules import only typer at the top and their work modules when a
command runs, so ``csto-events --help`` and the light commands never load
spaCy or torch (a test checks this).

Errors are reported in one place, ``ReportingGroup``: an error the project
raises on purpose (``csto_events.errors``) becomes a red message and exit
code 1, a bug keeps its traceback.
"""
import os
from typing import Any

import click
import typer

from .annotate.commands import annotate_app
from .corpus.commands import corpus_app
from .distributed.commands import distributed_benchmark_command, distributed_extract_command
from .errors import reported_errors
from .evaluation.commands import app as evaluation_app
from .extract.commands import extract_command
from .packaging.commands import benchmark_command, package_command
from .training.commands import config_command, train_command


class ReportingGroup(typer.core.TyperGroup):
    """The root command group: every sub-command runs inside this one error handler."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except reported_errors() as err:
            if os.environ.get("CSTO_EVENTS_TRACEBACK"):
                raise
            typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from err


app = typer.Typer(
    cls=ReportingGroup, no_args_is_help=True,
    help="Event extraction from security-alliance news: annotate, train, evaluate, package.",
)
app.add_typer(corpus_app, name="corpus")
app.command("train")(train_command)
app.command("config")(config_command)
app.add_typer(evaluation_app, name="evaluate")
app.add_typer(annotate_app, name="annotate")
app.command("package")(package_command)
app.command("extract")(extract_command)
app.command("benchmark")(benchmark_command)
# Archive scale on Dask.
app.command("distributed-extract")(distributed_extract_command)
app.command("distributed-benchmark")(distributed_benchmark_command)
# Event records: one row per event, canonical names, normalised dates, a timeline page.
from .records.commands import records_benchmark_command, records_command  # noqa: E402

app.command("records")(records_command)
app.command("records-benchmark")(records_benchmark_command)

if __name__ == "__main__":
    app()
