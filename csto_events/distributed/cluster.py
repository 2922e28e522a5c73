"""Where the tasks run: a real scheduler if one is given, else a LocalCluster sized to this machine.

The driver code is the same in both cases, which is the point: a run that
works on a laptop's LocalCluster works unchanged against ``dask scheduler``
with ``dask worker`` processes on other hosts. Workers are processes with one
thread each: spaCy holds the GIL for much of its work, so threads would not
add speed, and one thread means one pipeline per worker (see ``worker``).
"""
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Optional

from ..errors import ToolError

if TYPE_CHECKING:  # dask is imported only when a run starts, so `csto-events --help` stays fast
    from dask.distributed import Client

WAIT_FOR_WORKERS_SECONDS = 300.0


class ClusterError(ToolError):
    """No scheduler, or no workers joined it in time."""


def machine_workers() -> int:
    """The CPUs this process may use (respects taskset and container limits), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(scheduler: Optional[str] = None, workers: Optional[int] = None, wait_seconds: float = WAIT_FOR_WORKERS_SECONDS) -> Iterator["Client"]:
    """A connected ``dask.distributed.Client``; a LocalCluster it started is closed on exit.

    With ``scheduler``, ``workers`` is how many workers to wait for before
    submitting (default 1: without any worker, tasks would wait forever).
    Without it, ``workers`` is the LocalCluster's size (default: one per CPU).
    """
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=30)
        except OSError as err:
            raise ClusterError(f"cannot reach the dask scheduler at {scheduler}: {err}") from err
        with client:
            try:
                client.wait_for_workers(workers or 1, timeout=wait_seconds)
            except TimeoutError:
                raise ClusterError(
                    f"fewer than {workers or 1} worker(s) joined {scheduler} within {wait_seconds:.0f}s; "
                    f"start them with `dask worker {scheduler} --nthreads 1`"
                ) from None
            yield client
        return
    with LocalCluster(n_workers=workers or machine_workers(), threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        yield client
