"""One CPU per web worker (web/cpu.py): a CPU claimed by a live process is not claimed
again, a dead process's CPU is, and a pinned worker keeps every thread on its CPU. Each
case runs in processes of its own: the test runner itself is never pinned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from o2portal.core.settings import PROJECT_ROOT

ROOT = str(PROJECT_ROOT)


def _start(code: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": ROOT, **env},
    )


CLAIM = """
    import sys
    from pathlib import Path
    from o2portal.web.cpu import claim_cpu
    print(claim_cpu([0, 1], Path({dir!r})), flush=True)
    sys.stdin.read()  # holds its claim until told to end
"""


def _claimer(lock_dir) -> tuple[subprocess.Popen, str]:
    proc = _start(CLAIM.format(dir=str(lock_dir)), {})
    return proc, proc.stdout.readline().strip()


def _end(proc: subprocess.Popen) -> None:
    proc.communicate("", timeout=30)


def test_a_cpu_is_held_by_one_live_process_and_freed_when_it_ends(tmp_path):
    first, got_first = _claimer(tmp_path)
    second, got_second = _claimer(tmp_path)
    third, got_third = _claimer(tmp_path)
    assert (got_first, got_second, got_third) == ("0", "1", "None")
    _end(first)  # its lock goes with it, as a killed worker's does
    fourth, got_fourth = _claimer(tmp_path)
    assert got_fourth == "0"
    for proc in (second, third, fourth):
        _end(proc)


PIN = """
    import json, os, threading
    from o2portal.web.cpu import pin_worker
    before = sorted(os.sched_getaffinity(0))
    early = threading.Thread(target=threading.Event().wait, daemon=True)
    early.start()  # a thread the worker had before it was pinned
    cpu = pin_worker()
    later = {}
    t = threading.Thread(target=lambda: later.update(cpus=sorted(os.sched_getaffinity(0))))
    t.start(); t.join()
    threads = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            threads[tid] = sorted(os.sched_getaffinity(int(tid)))
        except ProcessLookupError:
            pass  # a thread that ended since the listing (the one joined above, say)
    import asyncio
    from o2portal.web.helpers import with_password
    password = asyncio.run(with_password(lambda: sorted(os.sched_getaffinity(0))))
    print(json.dumps({"cpu": cpu, "before": before, "threads": threads, "later": later["cpus"],
                      "password": password}))
"""


def _pin(tmp_path, **env: str) -> dict:
    proc = _start(PIN, {"TMPDIR": str(tmp_path), **env})
    out, _ = proc.communicate("", timeout=60)
    assert proc.returncode == 0
    return json.loads(out.strip().splitlines()[-1])


def test_a_pinned_worker_keeps_every_thread_on_its_cpu(tmp_path):
    found = _pin(tmp_path)
    if len(found["before"]) < 2:  # one CPU: nothing to choose, nothing pinned
        assert found["cpu"] is None
        return
    assert found["cpu"] == found["before"][0]
    assert len(found["threads"]) >= 2
    assert all(cpus == [found["cpu"]] for cpus in found["threads"].values())
    assert found["later"] == [found["cpu"]]
    # But bcrypt: the passwords' thread may run on every CPU the worker was given.
    assert found["password"] == found["before"]


def test_pinning_can_be_turned_off(tmp_path):
    found = _pin(tmp_path, O2PORTAL_PIN_WORKER_CPU="false")
    assert found["cpu"] is None
    assert all(cpus == found["before"] for cpus in found["threads"].values())
    assert found["password"] == found["before"]


def test_a_worker_whose_lock_files_are_out_of_reach_runs_unpinned(tmp_path):
    (tmp_path / "o2portal-cpus").write_text("not a directory")
    found = _pin(tmp_path)
    assert found["cpu"] is None
    assert all(cpus == found["before"] for cpus in found["threads"].values())


COLLECTOR = """
    import gc
    import json
    import weakref

    from o2portal.web.cpu import COLLECTOR_THRESHOLDS, tune_collector

    class Node:
        pass

    def cycle():
        a, b = Node(), Node()
        a.other, b.other = b, a
        return weakref.ref(a)

    tune_collector()
    first = cycle()  # left behind at once: only the collector can free it
    made, collected_after = 0, None
    while made < 4 * COLLECTOR_THRESHOLDS[0]:
        cycle()
        made += 1
        if first() is None:
            collected_after = made
            break
    print(json.dumps({
        "thresholds": list(gc.get_threshold()),
        "wanted": list(COLLECTOR_THRESHOLDS),
        "collected_after": collected_after,
    }))
"""


def test_the_worker_collects_cycles_less_often_but_still_collects_them():
    """A worker's collector runs at COLLECTOR_THRESHOLDS (far above Python's 700): a
    reference cycle left behind is not freed at the next 700 objects, and is still freed,
    without any explicit gc.collect(), once enough garbage has been left behind."""
    from o2portal.web.app import app
    from o2portal.web.cpu import tune_collector

    assert tune_collector in app.get_lifespan_tasks()
    proc = _start(COLLECTOR, {})
    out, _ = proc.communicate(timeout=60)
    result = json.loads(out)
    assert result["thresholds"] == result["wanted"]
    assert result["collected_after"] is not None, "the cycle was never collected"
    assert result["collected_after"] > 1_000
