"""Reading extraction inputs: every bad document is named by file and line, never dropped."""
import gzip
import io
import json

import pytest

from csto_events.extract.inputs import BadInput, InputError, InputStats, TextInput, read_inputs, read_jsonl_stream


def jsonl(*lines: bytes) -> io.BytesIO:
    return io.BytesIO(b"\n".join(lines) + b"\n")


def only(items):
    assert len(items) == 1
    return items[0]


def test_txt_file_is_one_document_named_by_its_stem(tmp_path):
    path = tmp_path / "article-7.txt"
    path.write_text("The CSTO met.\nSecond line.", encoding="utf-8")
    item = only(list(read_inputs(path)))
    assert item == TextInput("article-7", "The CSTO met.\nSecond line.", str(path))


def test_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfThe CSTO met.")
    assert only(list(read_inputs(path))).text == "The CSTO met."


def test_empty_and_whitespace_files_are_bad(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    items = list(read_inputs(tmp_path))
    assert [type(i) for i in items] == [BadInput, BadInput]
    assert {i.reason for i in items} == {"empty text"}
    assert {i.where for i in items} == {str(tmp_path / "empty.txt"), str(tmp_path / "blank.txt")}


def test_invalid_utf8_in_a_file_names_line_and_byte(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("First line.\nCaf\u00e9 talks.".encode("latin-1"))
    bad = only(list(read_inputs(path)))
    assert isinstance(bad, BadInput)
    assert bad.where == str(path)
    assert "invalid UTF-8 at line 2, column 4 (byte 0xe9)" in bad.reason


def test_binary_file_is_called_binary(tmp_path):
    path = tmp_path / "archive.txt"
    path.write_bytes(gzip.compress(b"The CSTO sent a mission." * 50))
    bad = only(list(read_inputs(path)))
    assert isinstance(bad, BadInput) and bad.reason.startswith("binary data")


def test_folder_reads_txt_files_sorted_with_relative_ids_and_counts_the_rest(tmp_path):
    (tmp_path / "b.txt").write_text("B text.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A text.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    stats = InputStats()
    items = list(read_inputs(tmp_path, stats))
    assert [(i.id, i.text) for i in items] == [("b", "B text."), ("sub/a", "A text.")]
    assert stats.ignored == [str(tmp_path / "notes.md")]


@pytest.mark.parametrize(
    "line,reason",
    [
        (b'{"id": "x", "text": "ok"', "malformed JSON"),
        (b'["x", "text"]', "expected a JSON object"),
        (b'{"text": "no id here"}', "missing 'id'"),
        (b'{"id": "x"}', "missing 'text'"),
        (b'{"identifier": 1, "body": "t"}', "missing 'id' and 'text'"),
        (b'{"id": null, "text": "t"}', "'id' must be"),
        (b'{"id": "x", "text": 12}', "'text' of document 'x' must be a string"),
        (b'{"id": "x", "text": "   "}', "empty text"),
        (b'{"id": "x", "text": "a\\ud800b"}', "not valid Unicode"),
        (b'{"id": "x", "text": "a\\u0000b"}', "NUL characters"),
        (b'{"id": "x", "text": "caf\xe9"}', "invalid UTF-8 at column 25 (byte 0xe9)"),
    ],
)
def test_each_bad_jsonl_line_is_named_by_line(line, reason):
    good = json.dumps({"id": 1, "text": "The CSTO met."}).encode()
    items = list(read_jsonl_stream(jsonl(good, line, good), "in.jsonl"))
    assert len(items) == 3, "a bad line is reported in place, never dropped"
    assert isinstance(items[0], TextInput) and isinstance(items[2], TextInput)
    bad = items[1]
    assert isinstance(bad, BadInput)
    assert bad.where == "in.jsonl:2"
    assert reason in bad.reason
    assert str(bad).startswith("in.jsonl:2: ")


def test_blank_lines_are_not_documents_and_keep_line_numbers():
    items = list(read_jsonl_stream(jsonl(b'{"id": "a", "text": "A."}', b"", b"   ", b"{oops"), "f.jsonl"))
    assert [i.where for i in items] == ["f.jsonl:1", "f.jsonl:4"]


def test_integer_ids_and_extra_keys_pass_through():
    item = only(list(read_jsonl_stream(jsonl(b'{"id": 7, "text": "A.", "source": "wire"}'), "f.jsonl")))
    assert item == TextInput(7, "A.", "f.jsonl:1")


def test_stdin_is_read_as_jsonl():
    items = list(read_inputs("-", stdin=jsonl(b'{"id": "a", "text": "A."}', b"not json")))
    assert items[0] == TextInput("a", "A.", "<stdin>:1")
    assert items[1].where == "<stdin>:2"


def test_unknown_or_missing_input_is_an_input_error(tmp_path):
    (tmp_path / "data.csv").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a .txt file"):
        list(read_inputs(tmp_path / "data.csv"))
    with pytest.raises(InputError, match="does not exist"):
        list(read_inputs(tmp_path / "missing.jsonl"))
