"""Through the reverse proxy of deploy/nginx.conf: pages, the session cookie and the event
websocket pass, and the address the portal records is the one the proxy saw, whatever
the visitor writes in X-Forwarded-For."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from tests.e2e.conftest import log_in, wait_signed_in


def test_a_customer_signs_in_through_the_proxy_and_cannot_forge_an_address(
    new_context, base_url, app_env
):
    assert base_url.endswith(f":{app_env['proxy_port']}")
    page = new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.66"}).new_page()
    log_in(page, "client@o2portal.example", next_path="/services")
    wait_signed_in(page)
    expect(page.locator("#services-table")).to_be_visible()
    with read_session() as session:
        customer = session.exec(
            select(Customer).where(Customer.email == "client@o2portal.example")
        ).one()
        login = session.exec(
            select(AuditEvent)
            .where(AuditEvent.actor_id == customer.id, AuditEvent.action == "auth.login")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert login is not None
    # The address nginx saw (the loopback, over IPv4 or IPv6), not the one written.
    assert login.ip in ("127.0.0.1", "::1")
