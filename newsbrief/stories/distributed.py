"""Running the grouping's tasks: in this process or on Dask (``distributed``), with a progress bar.

Every task is a pure function of its arguments, so the results (gathered back in submission
order) do not depend on where they ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from newsbrief.stories.features import featurize_chunk


def _call(fn: Callable, args: tuple) -> Any:
    return fn(*args)


def run_tasks(fn: Callable, arglists: Iterable[tuple], client: Any, progress: Callable[[int], None] | None) -> list:
    """fn(*args) for every args tuple: in this process (the arguments are made one at a time), or
    on Dask (results in the same order)."""
    if client is None:
        out = []
        for args in arglists:
            out.append(fn(*args))
            if progress:
                progress(1)
        return out
    from distributed import as_completed

    arglists = list(arglists)
    # the inputs go straight to the workers (not through the scheduler inside the task graph)
    scattered = client.scatter(arglists, hash=False) if arglists else []
    futures = [client.submit(_call, fn, a, pure=False) for a in scattered]
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for fut in as_completed(futures):
        results[position[fut.key]] = fut.result()
        if progress:
            progress(1)
    return results


class Progress:
    """A thin wrapper around rich.progress (or nothing)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._p = None

    def __enter__(self):
        if self.enabled:
            from rich import progress as rp

            self._p = rp.Progress(rp.TextColumn("{task.description:<16}"), rp.BarColumn(), rp.MofNCompleteColumn(),
                                  rp.TimeElapsedColumn())
            self._p.__enter__()
        return self

    def __exit__(self, *exc):
        if self._p is not None:
            self._p.__exit__(*exc)

    def task(self, description: str, total: int) -> Callable[[int], None] | None:
        if self._p is None:
            return None
        tid = self._p.add_task(description, total=total)
        return lambda k=1: self._p.advance(tid, k)



def _warm_worker() -> None:
    import datasketch  # noqa: F401
    import scipy.sparse  # noqa: F401

    featurize_chunk([("", "warm up the worker")])


class dask_client:
    """``with dask_client(scheduler, workers) as client:`` -> a distributed.Client or None.

    ``scheduler``: address of a running scheduler; ``workers``: start a local cluster of that many
    single-threaded worker processes on 127.0.0.1 (no dashboard, scratch files in a temp dir);
    neither: None (single process). Everything started here is shut down on exit."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        self.scheduler, self.workers = scheduler, workers
        self.client = self.cluster = self._tmp = None

    def __enter__(self):
        if not self.scheduler and not self.workers:
            return None
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            import tempfile

            self._tmp = tempfile.TemporaryDirectory(prefix="newsbrief-dask-")
            self.cluster = LocalCluster(n_workers=int(self.workers), threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None,
                                        local_directory=self._tmp.name)
            self.client = Client(self.cluster)
        self.client.run(_warm_worker)  # imports once per worker, before any timing
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self._tmp is not None:
            self._tmp.cleanup()


