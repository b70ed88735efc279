"""Who an audit event concerns: the customer of the row acted on, never the staff member
who acted (the staff audit page's customer column held the admin's own number)."""

from __future__ import annotations

from o2portal.accounts.staff_accounts import create_staff_account
from o2portal.billing.models import Order
from o2portal.content.models import FaqEntry
from o2portal.core import audit
from o2portal.core.db import transaction
from o2portal.core.permissions import Actor, Role
from tests.unit.helpers import PASSWORD, make_customer


def test_events_name_the_customer_concerned_not_the_staff_member(db):
    admin = Actor.of(
        create_staff_account(
            "audit.admin@o2portal.example", PASSWORD, first_name="Ada", last_name="Admin"
        )
    )
    customer = Actor.of(make_customer())
    assert admin.role == Role.ADMIN
    with transaction() as session:
        order = Order(id=5, customer_id=customer.id, kind="order", idempotency_key="audit-0001")
        faq = FaqEntry(id=3, topic="T", question="Q", answer="A")
        by_admin_on_order = audit.about(session, "order.cancelled", order, actor=admin)
        by_admin_on_faq = audit.about(session, "staff.faq_edited", faq, actor=admin)
        by_customer = audit.record(session, "auth.login", actor=customer)
        settings = audit.record(
            session, "staff.settings_changed", actor=admin, target_type="setting"
        )
    assert (by_admin_on_order.customer_id, by_admin_on_order.target_type) == (customer.id, "order")
    assert by_admin_on_order.target_id == 5 and by_admin_on_order.actor_id == admin.id
    assert (by_admin_on_faq.customer_id, by_admin_on_faq.target_type) == (None, "faq_entry")
    assert by_customer.customer_id == customer.id
    assert settings.customer_id is None
