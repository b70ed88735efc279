"""Billing's daily jobs: auto-renewal (the order form at D-15, the charge at D-7), the
cancelling of order forms left unpaid, and orders proposed to a client left unanswered."""

from __future__ import annotations

from datetime import date

from o2portal.billing.autorenew import run_auto_renewals
from o2portal.billing.client_orders import expire_proposals
from o2portal.billing.order_forms import cancel_stale_order_forms
from o2portal.billing.reconciliation import reconcile_payments
from o2portal.core import clock


def stale_order_forms(_last_run: date) -> dict:
    return {"cancelled": cancel_stale_order_forms(clock.now())}


RECONCILE_PAYMENTS = ("reconcile_payments", reconcile_payments)
AUTO_RENEW = ("auto_renew", run_auto_renewals)
STALE_ORDER_FORMS = ("stale_order_forms", stale_order_forms)
# Orders proposed to a client, left unanswered for 14 days.
CLIENT_ORDERS = ("client_orders", expire_proposals)
