"""One loader for every command: folders need a config, names must be installed, rule pipelines load too."""
import pytest
import spacy

from csto_events.evaluation.rules import KEEP_LABELS, RULE_ARGUMENTS
from csto_events.extract.loading import load_pipeline


def test_a_folder_without_config_is_refused_by_name(tmp_path):
    with pytest.raises(OSError, match=r"is not a spaCy pipeline folder \(no config.cfg\)"):
        load_pipeline(tmp_path)


def test_an_unknown_name_is_neither_folder_nor_package():
    with pytest.raises(OSError, match=r"cannot load pipeline 'no_such_csto_pipeline': not a folder and not an installed"):
        load_pipeline("no_such_csto_pipeline")


def test_a_saved_rule_pipeline_loads_with_its_components(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    nlp.add_pipe(KEEP_LABELS)
    nlp.add_pipe(RULE_ARGUMENTS, config={"roles": {"MISSION>ORG": "AGENT"}})
    nlp.to_disk(tmp_path / "rules")
    loaded = load_pipeline(tmp_path / "rules")
    assert loaded.pipe_names == nlp.pipe_names
    assert loaded.get_pipe(RULE_ARGUMENTS).roles == {"MISSION>ORG": "AGENT"}
