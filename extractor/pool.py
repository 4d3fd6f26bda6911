"""The worker processes of ``run --jobs N``: how many, and a pool of them that starts clean.

Light on purpose (no reader imported here): ``run`` starts the pool's server as soon as it knows the batch
will use one, so that the server imports the readers while this process imports its own and sets up the
batch (the review store, the files' names) — the two start-ups overlap on the machine's cores instead of
running one after the other.
"""

from __future__ import annotations

import os

# Starting a pool costs about half a second; below this many documents per worker, it costs more than it saves.
DOCUMENTS_PER_WORKER = 20

# Imported once, in the pool's server: every worker forked from it has them (read_document's own imports, which
# `run`'s own process never makes).
PRELOAD = ["extractor.work", "extractor.pipeline", "extractor.export", "extractor.geometry", "extractor.review.apply",
           "extractor.review.store"]


def default_jobs(documents: int) -> int:
    """The cores this process may run on, but fewer for a small batch."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, documents // DOCUMENTS_PER_WORKER))


def _context():
    """Worker processes that start clean (forkserver, or spawn where there is none), not forks of this one:
    a fork would copy the open store and the model client's threads."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return context


def start_server() -> None:
    """Start the pool's server now (it imports ``PRELOAD``), without waiting for it: the first worker is forked
    from it when the batch submits its first document. Nothing to start where workers are spawned."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def make_pool(jobs: int):
    """A pool of ``jobs`` worker processes, forked from the server (started here if ``start_server`` was not)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker, initargs=(os.getpid(),))


def stop_now(pool) -> None:
    """End the pool's workers at once (an interrupted run), not after the documents they are reading: only the
    parent writes results, so nothing half-written is left, and the next run reads those documents."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()


def _start_worker(parent: int) -> None:
    """Ctrl-C and SIGTERM are for the parent, which stops the pool (workers would each print a traceback, or die
    with a document half-read that the parent would record as failed). A parent killed outright (SIGKILL)
    cannot stop it: then the worker ends itself rather than wait for work forever."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()


def _end_with(parent: int, every: float = 0.5) -> None:
    import time

    while True:
        time.sleep(every)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, under another user (its pid reused): not ours any more
            os._exit(1)
