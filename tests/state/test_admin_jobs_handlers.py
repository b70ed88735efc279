"""The staff jobs page: each job's last outcome, last success and failures in a row, the
runs with their error; support and admins see it, a customer is refused."""

from __future__ import annotations

import pytest

from o2portal.jobs import runner
from o2portal.web.guards import Forbidden
from o2portal.web.staff.jobs.state import AdminJobsState
from tests.state.conftest import make_state, run


def _broken(_last_run):
    raise RuntimeError("registrar API down")


def test_staff_see_each_job_its_failures_and_the_runs(people):
    runner.run_job("outbox", lambda _d: {"sent": 3})
    for _ in range(2):
        runner.run_job("auto_renew", _broken)
    state = make_state(AdminJobsState, token=people["token"]["sam"], path="/admin/jobs")
    run(state, "load")
    jobs = {row["name"]: row for row in state.jobs}
    # In the registry's order, the jobs that ran.
    assert [row["name"] for row in state.jobs] == ["auto_renew", "outbox"]
    assert jobs["auto_renew"]["outcome"] == "failed"
    assert jobs["auto_renew"]["failures"] == "2" and jobs["auto_renew"]["success"] == ""
    assert jobs["outbox"]["outcome_label"] == "Réussi"
    assert jobs["outbox"]["summary"] == "sent: 3" and jobs["outbox"]["success"] != ""
    assert [r["name"] for r in state.runs] == ["auto_renew", "auto_renew", "outbox"]
    assert "RuntimeError: registrar API down" in state.runs[0]["error"]

    run(state, "show_job", "outbox")
    assert [r["name"] for r in state.runs] == ["outbox"] and state.job == "outbox"
    run(state, "show_job", "x" * 500)  # anything else shows no run, and is cut short
    assert state.runs == [] and len(state.job) == 64


def test_a_customer_is_refused(people):
    state = make_state(AdminJobsState, token=people["token"]["alice"], path="/admin/jobs")
    with pytest.raises(Forbidden):
        run(state, "load")
    with pytest.raises(Forbidden):
        run(state, "show_job", "outbox")
