"""A socket that sends staff events it may not call cannot fill the audit log: refusals are
written a few times per address, person and minute, then once more to say that more
came, then not at all until the next minute. What the row names comes from the server
(the state the event was for), never from the router data the client sent."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

import o2portal.o2portal  # noqa: F401  (registers every page and state)
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.web.guards import REFUSALS_PER_MINUTE, AuthRequired, Forbidden
from o2portal.web.staff.audit.state import AdminAuditState
from tests.state.conftest import make_state, run


def refusals() -> list[AuditEvent]:
    with read_session() as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "admin.refused")
                .order_by(AuditEvent.id)
            ).all()
        )


def test_a_hundred_anonymous_refusals_write_a_handful_of_rows(db):
    start = clock.now()
    with clock.frozen_at(start.replace(second=0, microsecond=0) + timedelta(seconds=1)):
        for _ in range(100):
            state = make_state(AdminAuditState, path="/claimed/by/the/client?x=" + "A" * 400)
            with pytest.raises(AuthRequired):
                run(state, "load")
    rows = refusals()
    assert len(rows) == REFUSALS_PER_MINUTE + 1
    details = [json.loads(r.details_json) for r in rows]
    assert all(d["state"] == "AdminAuditState" for d in details)
    assert all("claimed" not in r.details_json for r in rows)
    assert [d.get("more_this_minute") for d in details][-1] is True
    assert {r.ip for r in rows} == {"192.0.2.10"}


def test_a_new_minute_is_written_again_and_people_are_counted_apart(people):
    minute = clock.now().replace(second=0, microsecond=0) + timedelta(minutes=5)
    for offset in (0, 60):
        with clock.frozen_at(minute + timedelta(seconds=offset)):
            for _ in range(20):
                with pytest.raises(Forbidden):
                    run(make_state(AdminAuditState, token=people["token"]["alice"]), "load")
                with pytest.raises(Forbidden):
                    run(make_state(AdminAuditState, token=people["token"]["bob"]), "load")
    rows = refusals()
    alice, bob = people["customer"]["alice"].id, people["customer"]["bob"].id
    assert sum(r.actor_id == alice for r in rows) == 2 * (REFUSALS_PER_MINUTE + 1)
    assert sum(r.actor_id == bob for r in rows) == 2 * (REFUSALS_PER_MINUTE + 1)
