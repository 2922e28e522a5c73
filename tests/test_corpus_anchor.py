import pytest

from csto_events.corpus.anchor import parse_draft
from csto_events.corpus.records import CorpusError

TEXT = " date 2023-03-16 The CSTO\u00a0sent a mission [to Armenia].\n\nZas led it."


def test_spans_land_on_the_exact_text_whatever_the_white_space():
    draft = (
        "# id: t1\n# source: seed\n"
        "date [[2023-03-16|DATE]] The [[CSTO|ORG:o1]] sent a [[mission|MISSION:m1]] [to Armenia].\n"
        ">> m1 AGENT o1\n"
        "[[Zas|PERSON]] led it.\n"
    )
    record = parse_draft(draft, TEXT)
    assert record.text == TEXT
    assert [record.span_text(e) for e in record.entities] == ["2023-03-16", "CSTO", "mission", "Zas"]
    assert record.entities[1].start_offset == TEXT.index("CSTO")
    assert [(r.from_id, r.to_id, r.type) for r in record.relations] == [(3, 2, "AGENT")]
    assert record.id == "t1" and record.meta == {"source": "seed"}


def test_a_draft_whose_words_differ_is_refused_with_its_line():
    draft = "# id: t1\ndate 2023-03-16 The [[CSTO|ORG]] sent a team [to Armenia].\nZas led it.\n"
    with pytest.raises(CorpusError, match=r"<draft>:2: the draft's words differ .*'team"):
        parse_draft(draft, TEXT)


def test_unknown_label_and_unknown_link_id_are_named():
    with pytest.raises(CorpusError, match="unknown label 'GROUP'"):
        parse_draft("date 2023-03-16 The [[CSTO|GROUP]] sent a mission [to Armenia]. Zas led it.", TEXT)
    with pytest.raises(CorpusError, match="unknown id 'x9'"):
        parse_draft("date 2023-03-16 The [[CSTO|ORG:o1]] sent a mission [to Armenia]. Zas led it.\n>> x9 AGENT o1", TEXT)


def test_import_anchored_command_writes_the_seed_gold_as_shipped(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from csto_events.cli import app

    repo = Path(__file__).parent.parent
    drafts = sorted(str(p) for p in (repo / "corpus" / "seeds" / "drafts").glob("*.md"))
    out = tmp_path / "seeds.jsonl"
    result = CliRunner().invoke(app, ["corpus", "import-anchored", *drafts, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 5 record(s)" in result.output
    assert out.read_bytes() == (repo / "corpus" / "seeds" / "seeds.jsonl").read_bytes()
