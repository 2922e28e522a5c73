"""Extraction at archive scale on Dask: one task per JSONL shard, the same code on a laptop and a cluster.

Why shards and not documents: a shard is the unit of work, of retry and of
resume. Each task reads one input shard with the reader of ``csto-events
extract``, runs the same ``extract`` loop over it, and publishes its output
shard with one atomic rename, then a ``.done.json`` entry. A task that dies
half-way (a killed worker) leaves no partial output behind, so dask can run
it again anywhere, and a rerun of the command skips what is complete.

Modules: ``shards`` (which inputs, what each output is called, how a shard
is read), ``worker`` (one pipeline per worker process, not per document),
``task`` (the dask task), ``manifest`` (per-shard entries and the run's
``manifest.json``), ``cluster`` (a LocalCluster or a real scheduler),
``run`` (the driver), ``benchmark`` and ``commands`` (the CLI).
"""
