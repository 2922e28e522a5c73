"""One Markdown table writer for every generated table: its layout and its escaping."""
from csto_events.tables import markdown_table


def test_a_table_has_header_separator_and_one_line_per_row():
    text = markdown_table(["system", "F"], [["pipeline", "90.9"], ["rules", 65.4]])
    assert text.split("\n") == ["| system | F |", "|---|---|", "| pipeline | 90.9 |", "| rules | 65.4 |"]


def test_a_pipe_or_line_break_in_a_cell_does_not_shift_the_columns():
    text = markdown_table(["a", "b"], [["x|y", "two\nlines"]])
    assert text.split("\n")[2] == "| x\\|y | two lines |"


def test_a_table_without_rows_is_its_header():
    assert markdown_table(["a"], []) == "| a |\n|---|"
