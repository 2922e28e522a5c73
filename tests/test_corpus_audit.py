from csto_events.corpus.audit import audit
from csto_events.corpus.markup import parse


def test_audit_lists_an_unlabelled_repeat_and_nothing_else():
    record = parse(
        "The [OSCE]{ORG} sent a [mission]{MISSION}. OSCE officials said the mission of the force is peace.\n\n"
        "A [summit]{MEETING} of the [OSCE]{ORG} followed.",
        "a.md",
    )
    rows = audit([record])
    assert {(r.text, r.label) for r in rows} == {("OSCE", "ORG"), ("mission", "MISSION")}
    osce = next(r for r in rows if r.text == "OSCE")
    assert osce.labelled_elsewhere == 2 and record.text[osce.start : osce.end] == "OSCE"
    assert "[OSCE] officials" in osce.context
