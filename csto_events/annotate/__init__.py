"""The doccano annotation loop: ``csto-events annotate serve | push | pull``.

- venvs.py: the server and client venvs (doccano and doccano-client need
  different pydantic versions; neither goes into the project's .venv).
- server.py: a local doccano server and its task worker on 127.0.0.1.
- doccano_driver.py: runs in the client venv; doccano-client behind JSON on stdin/stdout.
- client.py: runs the driver from the project's venv, with timeouts.
- push.py / pull.py: validation before, verification after, corpus JSONL out.
- labels.py: colours and keyboard keys of the label scheme in doccano.
"""
