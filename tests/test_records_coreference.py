"""Same-event clusters by rules: headline, definite noun phrases, dates, 'next'/'similar', shared arguments."""
from csto_events.records.coreference import cluster_mentions, interval


def _output(text, spans, links=()):
    """An Output-format dict: ``spans`` are (surface, label[, value]) found left to right; links (trigger#, role, entity#)."""
    entities, position = [], 0
    for surface, label, *value in spans:
        start = text.index(surface, position)
        entity = {"label": label, "start": start, "end": start + len(surface), "text": surface}
        if value:
            entity["value"] = value[0]
        entities.append(entity)
        position = start + len(surface)
    events = []
    for number, entity in enumerate(entities):
        if entity["label"] in ("MISSION", "MEETING"):
            arguments = [
                {"role": role, "label": entities[arg]["label"], "start": entities[arg]["start"], "end": entities[arg]["end"], "text": entities[arg]["text"],
                 **({"value": entities[arg]["value"]} if "value" in entities[arg] else {})}
                for trigger, role, arg in links if trigger == number
            ]
            events.append({"type": entity["label"], "trigger": {k: entity[k] for k in ("start", "end", "text")}, "arguments": arguments})
    return {"id": "t", "text": text, "entities": entities, "events": events}


def test_headline_definite_phrases_and_a_similar_one():
    text = ("Chamber to lead trade mission to Tashkent\n\n"
            "The chamber will send a trade mission to Uzbekistan. The delegation includes 24 firms. "
            "A similar mission went to Almaty in 2024. Firms can join the mission until April.")
    output = _output(text, [("trade mission", "MISSION"), ("trade mission", "MISSION"), ("delegation", "MISSION"),
                            ("mission", "MISSION"), ("2024", "DATE", "2024"), ("mission", "MISSION")], [(3, "TIME", 4)])
    assert cluster_mentions(output) == [[0, 1, 2, 4], [3]]


def test_types_never_merge_and_dates_keep_events_apart():
    text = "The board met at a board meeting on Tuesday. The general meeting on June 4 must approve it. The mission left."
    output = _output(text, [("board meeting", "MEETING"), ("Tuesday", "DATE", "2026-03-10"), ("general meeting", "MEETING"),
                            ("June 4", "DATE", "2026-06-04"), ("mission", "MISSION")], [(0, "TIME", 1), (2, "TIME", 3)])
    assert cluster_mentions(output) == [[0], [1], [2]]
    # without the second date nothing keeps them apart: "The general meeting" points back
    undated = _output(text, [("board meeting", "MEETING"), ("Tuesday", "DATE", "2026-03-10"), ("general meeting", "MEETING"),
                             ("June 4", "DATE", "2026-06-04"), ("mission", "MISSION")], [(0, "TIME", 1)])
    assert cluster_mentions(undated) == [[0, 1], [2]]


def test_next_session_and_verbs_start_new_events():
    text = ("Leaders opened a summit in Minsk. Koval met Amanbayev. The summit closed on Friday. "
            "The next session will be held in Bishkek.")
    output = _output(text, [("summit", "MEETING"), ("met", "MEETING"), ("summit", "MEETING"), ("session", "MEETING")])
    assert cluster_mentions(output) == [[0, 2], [1], [3]]


def test_indefinite_mission_with_the_same_sender_merges():
    text = "The CSTO is ready to deploy a mission. We confirm plans to deploy a CSTO mission. The EU deployed a mission."
    output = _output(text, [("CSTO", "ORG"), ("mission", "MISSION"), ("CSTO", "ORG"), ("mission", "MISSION"), ("EU", "ORG"), ("mission", "MISSION")],
                     [(1, "AGENT", 0), (3, "AGENT", 2), (5, "AGENT", 4)])
    assert cluster_mentions(output) == [[0, 1], [2]]


def test_date_possessive_points_back_but_an_organisation_possessive_does_not():
    text = "Ministers will hold a special meeting on Friday. Wulandari will brief Friday's session. Later, Ashworth's annual meeting."
    output = _output(text, [("special meeting", "MEETING"), ("Friday", "DATE", "2025-08-08"), ("Friday", "DATE", "2025-08-08"),
                            ("session", "MEETING"), ("Ashworth", "ORG"), ("meeting", "MEETING")], [(0, "TIME", 1)])
    assert cluster_mentions(output) == [[0, 1], [2]]


def test_interval_of_values():
    assert interval("2022-09") == (interval("2022-09-01")[0], interval("2022-09-30")[1])
    assert interval("2021/2022")[1].isoformat() == "2022-12-31"
    assert interval("2025-W36-WE")[0].isoformat() == "2025-09-06"
    assert interval("P2D") is None and interval("R/P1D") is None and interval("FUTURE_REF") is None
