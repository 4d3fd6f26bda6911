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


class Stopped(Exception):
    """The document a worker was reading, dropped: the run was interrupted (it is read next time)."""


_in_document = False  # (in a worker) whether it is inside ``interruptible``'s document


def interruptible(fn, *args):
    """``fn(*args)`` in a worker, stopped at once by ``stop_now``: it answers ``Stopped``, a whole answer."""
    global _in_document
    _in_document = True
    try:
        return fn(*args)
    finally:
        _in_document = False


def _stop_document(signum, frame) -> None:
    if _in_document:  # never while the worker sends an answer: a message cut in two would hang the pool
        raise Stopped()


def stop_now(pool) -> None:
    """Stop the documents the workers are reading (an interrupted run) instead of waiting for them: only the
    parent writes results, so nothing half-written is left, and the next run reads those documents. Each worker
    answers at once, and the pool then ends as usual (killing the workers could cut an answer mid-message, and
    the pool's thread would wait for the rest of it for ever)."""
    import signal

    stop = getattr(signal, "SIGUSR1", None)
    if stop is None:  # (no such signal here: the pool ends after the documents being read)
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            os.kill(process.pid, stop)
        except (ProcessLookupError, TypeError):  # already gone, or not started
            pass


def _start_worker(parent: int) -> None:
    """Ctrl-C and SIGTERM are for the parent, which stops the pool (workers would each print a traceback, or die
    with a document half-read that the parent would record as failed); the parent stops a worker's document with
    SIGUSR1 (``stop_now``). A parent killed outright (SIGKILL) cannot stop it: then the worker ends itself rather
    than wait for work forever."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, _stop_document)  # sent by the parent only (``stop_now``)
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
