"""The evaluation suite: scores, intervals, baselines, cross-validation and the report.

Everything is scored in the Output format of ``docs/label-scheme.md``: gold
annotations are turned into Output dicts through the same ``doc_to_output``
the extraction command uses, and predictions are Output dicts from a pipeline
or from a JSONL file. So any pipeline, or any file in the Output format, can
be scored against any gold file in the corpus format.
"""
