"""``csto-events corpus ...``: statistics into the README, markup checks, review rendering."""
from pathlib import Path

from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.corpus.markup import read_markup
from csto_events.corpus.records import write_jsonl

FIXTURES = Path(__file__).parent / "fixtures"
BRIEFS = sorted(FIXTURES.glob("brief-*.md"))


def _corpus(tmp_path) -> Path:
    records = [read_markup(p) for p in BRIEFS]
    for record, source in zip(records, ("extra", "seed")):
        record.meta["source"] = source
    path = tmp_path / "corpus.jsonl"
    write_jsonl(path, records)
    return path


def test_stats_counts_per_source_and_writes_the_readme_section(tmp_path):
    corpus = _corpus(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("Intro\n<!-- corpus-stats:start -->\nstale: 44 texts\n<!-- corpus-stats:end -->\nEnd\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", "stats", str(corpus), "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    lines = readme.read_text(encoding="utf-8").split("\n")
    table = lines[2:lines.index("<!-- corpus-stats:end -->")]
    assert table[0].startswith("| source | texts | words | link:AGENT |")
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1] for line in table[2:]}
    assert rows == {"extra": "1", "seed": "1", "all": "2"}
    assert "stale" not in readme.read_text(encoding="utf-8") and lines[-2] == "End"
    again = CliRunner().invoke(app, ["corpus", "stats", str(corpus), "--readme", str(readme)])
    assert "already up to date" in again.output


def test_check_markup_passes_good_drafts_and_lists_every_problem(tmp_path):
    good = CliRunner().invoke(app, ["corpus", "check-markup", *map(str, BRIEFS)])
    assert good.exit_code == 0, good.output
    assert "2 text(s)" in good.output and good.output.rstrip().endswith("OK")

    bad = tmp_path / "bad.md"
    bad.write_text("# id: bad\n\nThe [CSTO]{ORGG} met.\n", encoding="utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text("# id: broken\n\nA [the CSTO]{ORG} mission.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["corpus", "check-markup", str(bad), str(broken), str(BRIEFS[0])])
    assert result.exit_code == 1
    assert f"{bad}:3: unknown label 'ORGG'" in result.output
    assert "broken" in result.output and "determiner" in result.output
    assert "2 problem(s)" in result.output


def test_show_renders_one_document_as_markup(tmp_path):
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(app, ["corpus", "show", str(corpus), "--id", "fixture-a"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# id: fixture-a\n")
    assert "[CSTO]{ORG:" in result.output and ">> m" in result.output
