"""Progress has one shape: a function taking one line; counted work gets a bar only when progress is wanted."""
from csto_events.progress import counted, to_stderr


def test_lines_go_to_stderr_only(capsys):
    to_stderr("step 1 of 2")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "step 1 of 2\n")


def test_counted_work_yields_every_item_with_or_without_a_bar(capsys):
    assert list(counted(range(3), 3, "passes", None)) == [0, 1, 2]
    assert capsys.readouterr().err == "", "quiet: no bar"
    assert list(counted(range(3), 3, "passes", lambda _: None)) == [0, 1, 2]
    assert "passes" in capsys.readouterr().err
