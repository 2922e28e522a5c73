"""Agreement with a pretrained reference on unlabelled text, the measure of forgetting."""
import json

import pytest
import spacy
from spacy.tokens import Span

from csto_events.evaluation.forgetting import agreement, forgetting_table, markdown, read_texts, without_the, write


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
