"""``distributed.shards``: inputs expand to a fixed list of shards with unique output names; any fsspec URL reads."""
import gzip
import json
from pathlib import Path

import fsspec
import pytest

from csto_events.distributed.shards import name_shards, read_shard, resolve_shards, shard_stem
from csto_events.extract.inputs import BadInput, InputError, TextInput, read_inputs


def write_lines(path: Path, lines) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join((line if isinstance(line, bytes) else json.dumps(line).encode("utf-8")) + b"\n" for line in lines))
    return path


def test_folders_globs_and_files_expand_in_order_each_shard_once(tmp_path):
    a = write_lines(tmp_path / "in" / "a.jsonl", [{"id": 1, "text": "x"}])
    b = write_lines(tmp_path / "in" / "sub" / "b.ndjson", [{"id": 2, "text": "yy"}])
    write_lines(tmp_path / "in" / "notes.txt", [b"not a shard"])
    shards = resolve_shards([str(tmp_path / "in" / "*.jsonl"), str(tmp_path / "in"), str(a)])
    assert [s.source for s in shards] == [str(a), str(b)], "a glob, then the folder's other shard; a repeated file once"
    assert [s.name for s in shards] == ["a", "b"]
    assert [s.size for s in shards] == [a.stat().st_size, b.stat().st_size]


def test_relative_paths_become_absolute(tmp_path, monkeypatch):
    write_lines(tmp_path / "part.jsonl", [{"id": 1, "text": "x"}])
    monkeypatch.chdir(tmp_path)
    (shard,) = resolve_shards(["part.jsonl"])
    assert shard.source == str(tmp_path / "part.jsonl"), "workers may run in another folder"


def test_inputs_that_name_no_shard_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    write_lines(tmp_path / "x.txt", [b"text"])
    with pytest.raises(InputError, match="does not exist"):
        resolve_shards([str(tmp_path / "missing.jsonl")])
    with pytest.raises(InputError, match="no .jsonl/.ndjson shard"):
        resolve_shards([str(tmp_path / "empty")])
    with pytest.raises(InputError, match="no .jsonl/.ndjson shard"):
        resolve_shards([str(tmp_path / "*.txt")])
    with pytest.raises(InputError, match="must be a .jsonl or .ndjson"):
        resolve_shards([str(tmp_path / "x.txt")])


def test_output_names_are_unique_and_stable():
    assert shard_stem("s3://bucket/news/2024-01.jsonl.gz") == "2024-01"
    assert shard_stem("/data/.hidden part.NDJSON") == "hidden_part"
    names = name_shards(["/a/part.jsonl", "/b/part.jsonl", "/c/other.jsonl"])
    assert names[2] == "other"
    assert len(set(names)) == 3 and all(n.startswith("part-") for n in names[:2]), names
    assert names == name_shards(["/a/part.jsonl", "/b/part.jsonl", "/c/other.jsonl"]), "the same inputs give the same names on a rerun"


def test_a_local_shard_reads_like_extract_bad_lines_named_by_file_and_line(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", [{"id": "a", "text": "One."}, b'{"id": "b", "text": ', {"id": "c", "text": "Two."}])
    items = list(read_shard(str(path)))
    assert items == list(read_inputs(path))
    assert isinstance(items[1], BadInput) and items[1].where == f"{path}:2" and "malformed JSON" in items[1].reason


def test_compressed_and_remote_shards_read_through_fsspec(tmp_path):
    rows = [{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}]
    gz = tmp_path / "s.jsonl.gz"
    gz.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in rows)))
    (shard,) = resolve_shards([str(gz)])
    assert shard.name == "s"
    assert [(i.id, i.text, i.where) for i in read_shard(shard.source)] == [("a", "One.", f"{gz}:1"), ("b", "Two.", f"{gz}:2")]

    with fsspec.open("memory://bucket/news/day-1.jsonl", "wb") as file:
        file.write(b'{"id": 1, "text": "Three."}\nnot json\n')
    (remote,) = resolve_shards(["memory://bucket/news/*.jsonl"])
    assert remote.source == "memory:///bucket/news/day-1.jsonl" and remote.name == "day-1"
    first, second = read_shard(remote.source)
    assert first == TextInput(1, "Three.", "memory:///bucket/news/day-1.jsonl:1")
    assert isinstance(second, BadInput) and second.where == "memory:///bucket/news/day-1.jsonl:2"
