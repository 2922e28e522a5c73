from csto_events.jsonl import read_json_lines, write_json_lines


def test_round_trip_keeps_text_and_names_bad_lines(tmp_path):
    path = tmp_path / "out" / "x.jsonl"
    assert write_json_lines(path, [{"text": "Zas’s visit"}, {"n": 2}]) == 2
    assert "’" in path.read_text(encoding="utf-8")  # not escaped
    with path.open("a", encoding="utf-8") as file:
        file.write("\n{broken\n")
    rows = list(read_json_lines(path))
    assert [(n, obj) for n, obj, _ in rows[:2]] == [(1, {"text": "Zas’s visit"}), (2, {"n": 2})]
    assert rows[2][0] == 4 and rows[2][1] is None and rows[2][2].startswith("invalid JSON")
