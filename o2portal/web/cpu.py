"""One CPU per web worker (#14).

A worker runs Python under one lock (the GIL): its event loop and the threads that do its
database work take turns, never run its Python side by side. Left to the scheduler, the
turns hop between CPUs, and each hop is paid in context switches and cold caches: on the
2-core benchmark machine (bench/run.py, 100 users paging /services), one worker spent 11 ms
of CPU an event, against 5.5 ms once all its threads kept to one CPU (96 against 181
events a second). So each worker, as it starts, claims a CPU that no other worker of this
machine holds and keeps all its threads on it. The claim is a lock on a file per CPU,
which the kernel lets go when the process ends, so that a worker started again in place
of a dead one takes the CPU it left. With more workers than CPUs, the ones left without a
CPU of their own run where the scheduler puts them.

Password checks are the exception (free_this_thread): bcrypt holds a core for a quarter of
a second without the GIL, and on the worker's own CPU it would take that time from the
event loop and wait for it in turn (logins at 2 a second while 50 users paged took 5.7 s
p50 pinned). Its thread runs on any of the CPUs the worker was given.

The cycle collector (tune_collector). Python starts a collection of its youngest objects
each time 700 more container objects have been made than freed, and a full one every 100
of those. A worker paging /services for 200 users makes and frees thousands an event, so
at the default it ran ~100 collections a second and a full one every few seconds: 11 % of
its CPU (thread time, bench/run.py), and a full collection held the loop 50-120 ms. What
an event makes is freed by reference counting; the collector is only for reference cycles
(a state tree that expired). At 25,000, the worker made no collection at all while
paging, and each closed cycle is still collected once 25,000 of them, or of any other
objects, are left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import tempfile
from pathlib import Path

from o2portal.core.settings import get_settings

log = logging.getLogger("o2portal.cpu")
LOCK_DIR = Path(tempfile.gettempdir()) / "o2portal-cpus"
# The collector's thresholds in a worker (Python's default: 700, 10, 10).
COLLECTOR_THRESHOLDS = (25_000, 20, 20)
# The claimed CPU's lock, open for as long as the process lives.
_held: list[int] = []
# The CPUs the process was given before it was pinned (empty: never pinned).
_given: set[int] = set()


def claim_cpu(cpus: list[int], lock_dir: Path = LOCK_DIR) -> int | None:
    """The first of `cpus` that no other live process has claimed, now claimed by this
    one; None when every one of them is taken."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    for cpu in cpus:
        fd = os.open(lock_dir / f"cpu-{cpu}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        _held.append(fd)
        return cpu
    return None


def pin_worker() -> int | None:
    """Keep every thread of this worker (and those it starts later) on a CPU of its own;
    the CPU, or None when it stays free to move (turned off, one CPU, none left)."""
    if not get_settings().pin_worker_cpu or not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    try:
        cpu = claim_cpu(cpus)
    except OSError as exc:  # the lock files out of reach: the worker runs unpinned
        log.warning("worker %s: no CPU claimed (%s)", os.getpid(), exc)
        return None
    if cpu is None:
        log.info("worker %s: every CPU has its worker; this one is not pinned", os.getpid())
        return None
    _given.update(cpus)
    for tid in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            os.sched_setaffinity(int(tid), {cpu})
    log.info("worker %s keeps to CPU %s", os.getpid(), cpu)
    return cpu


def free_this_thread() -> None:
    """Let the calling thread run on any CPU the worker was given (it stays pinned if the
    worker was never pinned: nothing to undo)."""
    if _given and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, _given)  # 0: the calling thread, on Linux


def tune_collector() -> None:
    """Collect reference cycles far less often than Python's default (see above)."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
