"""Generated README sections: replaced between their markers, nothing else touched."""
import pytest

from csto_events.readme import update_named_section, without_title


def test_a_named_section_is_replaced_and_a_rerun_changes_nothing(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n<!-- speed:start -->\nSTALE\n<!-- speed:end -->\nAfter.\n")
    assert update_named_section(readme, "speed", "| a |\n") is True
    assert readme.read_text() == "# Title\n<!-- speed:start -->\n| a |\n<!-- speed:end -->\nAfter.\n"
    assert update_named_section(readme, "speed", "| a |\n") is False
    with pytest.raises(ValueError, match="<!-- other:start --> and <!-- other:end --> not found"):
        update_named_section(readme, "other", "x")


def test_without_title_drops_the_heading_and_its_blank_line_only():
    assert without_title("# Benchmark\n\nline one\n\n| t |\n") == "line one\n\n| t |\n"
    assert without_title("line one\n| t |\n") == "line one\n| t |\n"
