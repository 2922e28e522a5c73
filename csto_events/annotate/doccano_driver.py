"""Talk to a doccano server with doccano-client. Runs in the client venv, not in the project's.

doccano-client 1.2 needs pydantic 1, so this file imports nothing from
``csto_events`` and nothing outside the standard library but
``doccano_client``. ``client.py`` runs it as

    <client venv>/bin/python doccano_driver.py  < request.json  > response.json

The request is one JSON object: ``url``, ``username``, ``password``, ``op``
and ``args``; credentials travel on stdin, never on the command line. The
response is one JSON object, ``{"ok": true, "result": ...}`` or
``{"ok": false, "error": "..."}``; progress goes to stderr. The driver
knows doccano, not the label scheme: labels, colours and keys come in the
request, and every check of what came back is made by the caller.
"""
import io
import json
import sys
import tempfile
import traceback
import zipfile
from typing import Any, Callable, Dict, List

PROJECT_TYPE = "SequenceLabeling"
IMPORT_TASK = "RelationExtraction"  # the upload task for JSONL with entities and relations
FORMAT = "JSONL"


class DriverError(Exception):
    """An expected failure, reported to the caller as a sentence."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def connect(url: str, username: str, password: str):
    import requests
    from doccano_client import DoccanoClient
    from doccano_client.exceptions import DoccanoAPIError

    client = DoccanoClient(url)
    try:
        client.login(username, password)
    except requests.exceptions.ConnectionError as err:
        raise DriverError(f"no doccano server answers at {url} (start one with `csto-events annotate serve`)") from err
    except DoccanoAPIError as err:
        raise DriverError(f"login to {url} as {username!r} failed ({err}); check the username and password") from err
    return client


def find_project(client, name: str):
    matches = [p for p in client.list_projects() if p.name == name]
    if len(matches) > 1:
        raise DriverError(f"{len(matches)} doccano projects are named {name!r}; rename all but one")
    return matches[0] if matches else None


def _check_project(project) -> None:
    problems = []
    if project.project_type.value != PROJECT_TYPE:
        problems.append(f"its type is {project.project_type.value}, not {PROJECT_TYPE}")
    if not project.use_relation:
        problems.append("relation labelling is off")
    if project.allow_overlapping:
        problems.append("overlapping spans are allowed")
    if not project.collaborative_annotation:
        problems.append("annotation is not shared (collaborative) between members")
    if problems:
        raise DriverError(f"doccano project {project.name!r} (id {project.id}) cannot be used: {'; '.join(problems)}")


def _sync_label_types(client, project_id: int, kind: str, wanted: List[Dict[str, Any]]) -> List[str]:
    """Create missing label types, and give existing ones the wanted colour and key."""
    existing = {t.text: t for t in client.list_label_types(project_id, kind)}
    changed = []
    for spec in wanted:
        current = existing.get(spec["text"])
        if current is None:
            client.create_label_type(
                project_id, kind, spec["text"], suffix_key=spec.get("suffix_key"), color=spec["color"]
            )
            changed.append(f"created {kind} label {spec['text']}")
        elif current.background_color.lower() != spec["color"].lower() or current.suffix_key != spec.get("suffix_key"):
            client.update_label_type(
                project_id, current.id, kind, suffix_key=spec.get("suffix_key"), color=spec["color"]
            )
            changed.append(f"updated {kind} label {spec['text']}")
    return changed


def op_ensure_project(client, args: Dict[str, Any]) -> Dict[str, Any]:
    project = find_project(client, args["name"])
    created = False
    if project is None:
        if not args.get("create", True):
            raise DriverError(f"no doccano project is named {args['name']!r}")
        project = client.create_project(
            name=args["name"],
            project_type=PROJECT_TYPE,
            description=args.get("description") or args["name"],
            guideline=args.get("guideline", ""),
            collaborative_annotation=True,
            allow_overlapping=False,
            use_relation=True,
        )
        created = True
        progress(f"Created doccano project {project.name!r} (id {project.id}).")
    _check_project(project)
    changes: List[str] = []
    if args.get("create", True):
        changes += _sync_label_types(client, project.id, "span", args.get("span_types", []))
        changes += _sync_label_types(client, project.id, "relation", args.get("relation_types", []))
    return {"project_id": project.id, "created": created, "label_changes": changes}


def op_list_examples(client, args: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [{"id": ex.id, "meta": ex.meta} for ex in client.list_examples(args["project_id"])]


def op_upload(client, args: Dict[str, Any]) -> Dict[str, Any]:
    # Waits for the import task; the caller bounds the wait with a timeout on this process.
    status = client.upload(args["project_id"], [args["path"]], IMPORT_TASK, FORMAT)
    result = status.result if isinstance(status.result, dict) else {}
    return {"errors": result.get("error", []), "task_error": status.error}


def op_snapshot(client, args: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Examples with their spans and relations as stored, label ids turned into names."""
    project_id = args["project_id"]
    span_names = {t.id: t.text for t in client.list_label_types(project_id, "span")}
    relation_names = {t.id: t.text for t in client.list_label_types(project_id, "relation")}
    wanted = set(args["example_ids"]) if args.get("example_ids") is not None else None
    snapshot = []
    for example in client.list_examples(project_id):
        if wanted is not None and example.id not in wanted:
            continue
        spans = client.list_spans(project_id, example.id)
        relations = client.list_relations(project_id, example.id)
        snapshot.append(
            {
                "id": example.id,
                "text": example.text,
                "meta": example.meta,
                "spans": [
                    {"id": s.id, "start": s.start_offset, "end": s.end_offset,
                     "label": span_names.get(s.label, s.label)}
                    for s in spans
                ],
                "relations": [
                    {"from": r.from_id, "to": r.to_id, "type": relation_names.get(r.type, r.type)} for r in relations
                ],
            }
        )
    return snapshot


def op_export(client, args: Dict[str, Any]) -> Dict[str, Any]:
    """Export the project as JSONL with relations; return the rows of every file in the zip."""
    with tempfile.TemporaryDirectory() as tmp:
        only_approved = args.get("only_confirmed", False)
        path = client.download(args["project_id"], FORMAT, only_approved=only_approved, dir_name=tmp)
        with zipfile.ZipFile(path) as archive:
            files = {}
            for name in sorted(archive.namelist()):
                with archive.open(name) as handle:
                    lines = io.TextIOWrapper(handle, encoding="utf-8").read().splitlines()
                files[name] = [json.loads(line) for line in lines if line.strip()]
    return {"files": files}


OPS: Dict[str, Callable[[Any, Dict[str, Any]], Any]] = {
    "ensure_project": op_ensure_project,
    "list_examples": op_list_examples,
    "upload": op_upload,
    "snapshot": op_snapshot,
    "export": op_export,
}


def main() -> int:
    try:
        request = json.load(sys.stdin)
        op = OPS.get(request.get("op"))
        if op is None:
            raise DriverError(f"unknown operation {request.get('op')!r} (known: {', '.join(OPS)})")
        client = connect(request["url"], request["username"], request["password"])
        response = {"ok": True, "result": op(client, request.get("args", {}))}
    except DriverError as err:
        response = {"ok": False, "error": str(err)}
    except Exception as err:  # anything else is reported with its type, never swallowed
        traceback.print_exc()
        response = {"ok": False, "error": f"{type(err).__name__}: {err}"}
    json.dump(response, sys.stdout)
    sys.stdout.write("\n")
    return 0 if response["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
