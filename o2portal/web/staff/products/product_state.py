"""Staff: one product (/admin/products/<id>): everything about it, its history, and the
changes by hand in place (renew as a goodwill gesture, suspend, unsuspend, terminate)."""

from __future__ import annotations

import asyncio
import json
import re

import reflex as rx

from o2portal.billing.renewals import quote_renewal
from o2portal.catalog.offers import offer_name, offer_names
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.products.customer import display_status
from o2portal.products.expiry import CERTIFICATE_RENEW_DAYS, too_early
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, refusal
from o2portal.web.payment import new_key, submitted_date, submitted_key
from o2portal.web.session import language_of, load_staff, staff_of
from o2portal.web.staff.products.certificate import StaffCertificateState

ADMIN = ("admin",)
_PATH_ID = re.compile(r"/admin/products/(\d{1,12})/?$")
CHANGES = ("suspend", "unsuspend", "terminate")
# The changes a product's status allows (products/staff.py ACTIONS decides on the server).
_OFFERED = {
    "active": ("suspend", "terminate"),
    "suspended": ("unsuspend", "terminate"),
    "expired": ("terminate",),
}


def _event_text(action: str, lang: str) -> str:
    key = f"event.{action}"
    text = translate(key, lang)
    return action if text == key else text


def _details(raw: str) -> str:
    try:
        details = json.loads(raw or "{}")
    except ValueError:
        return ""
    reason = details.get("reason") if isinstance(details, dict) else None
    return str(reason) if reason else ""


def _quote(customer_id: int, product_id: int):
    try:
        return quote_renewal(customer_id, product_id, 1)
    except InvalidInput:
        return None


class AdminProductState(rx.State):
    found: bool = False
    product_id: int = 0
    info: dict[str, str] = {}
    nameservers: list[str] = []
    events: list[dict[str, str]] = []
    reminders: list[dict[str, str]] = []
    # What an admin may do to it now: renew, and the changes of its status.
    renewable: bool = False
    # A certificate before its renewal window: the day it opens, in words.
    renew_note: str = ""
    changes: list[str] = []
    auth_code: str = ""
    # Each form's idempotency key, and the expiry date it was shown with.
    renew_key: str = ""
    change_key: str = ""
    seen_expiry: str = ""
    working: bool = False
    # A change went through: every action waits for «Nouvelle modification», so that a
    # second click (or a replay) never makes a second change with the form's next key.
    done: bool = False
    message: str = ""
    errors: dict[str, str] = {}
    # A change of holder waiting for its recipient: to whom, until when.
    trade: dict[str, str] = {}

    async def _fill(self) -> None:
        user, lang = await load_staff(self)
        try:
            view = await asyncio.to_thread(domain.product_for_staff, user.actor, self.product_id)
        except NotAllowed:
            self.found, self.info = False, {}
            return
        p, c = view.product, view.customer
        quote = await asyncio.to_thread(_quote, c.id, p.id)
        names = await asyncio.to_thread(offer_names)
        today = clock.today()
        status = display_status(p, today)
        self.found = True
        self.info = {
            "name": p.name,
            "kind": p.kind,
            "kind_label": translate(f"kind.{p.kind}", lang),
            "offer": offer_name(names, p.kind, p.offer_code),
            "status": status,
            "status_label": translate(f"status.{status}", lang),
            "status_reason": p.status_reason or "",
            "customer": c.display_name,
            "customer_email": c.email,
            "customer_id": str(c.id),
            "start": formatting.day(p.start_date, lang),
            "expiry": formatting.day(p.expiry_date, lang),
            "days_left": formatting.days_left((p.expiry_date - today).days, lang),
            "auto_renew": translate("yes" if p.auto_renew else "no", lang),
            "renewal_price": formatting.money(quote.totals.ttc, lang) if quote else "",
            "lock": translate("yes" if p.registrar_lock else "no", lang),
            "panel_user": p.hosting_username or "",
            "panel_server": p.hosting_server or "",
            "ip": p.ip_address or "",
        }
        self.nameservers = view.nameservers
        self.events = [
            {
                "when": formatting.moment(e.created_at, lang),
                "who": who or translate("event.system", lang),
                "what": _event_text(e.action, lang),
                "reason": _details(e.details_json),
            }
            for e, who in view.events
        ]
        self.reminders = [
            {
                "stage": r.stage,
                "expiry": formatting.day(r.expiry_date, lang),
                "sent": formatting.moment(r.created_at, lang),
            }
            for r in view.reminders
        ]
        opens = too_early(p.kind, p.expiry_date, today)
        self.renewable = status in ("active", "expiring", "expired") and opens is None
        self.renew_note = (
            translate(
                "admin.ssl_renew_opens",
                lang,
                date=formatting.day(opens, lang),
                days=CERTIFICATE_RENEW_DAYS,
            )
            if opens is not None and status in ("active", "expiring")
            else ""
        )
        self.changes = list(_OFFERED.get(p.status, ()))
        self.seen_expiry = p.expiry_date.isoformat()
        offer = await asyncio.to_thread(domain.holder_change_of, user.actor, p.id)
        self.trade = (
            {
                "to": f"{offer.to_name} ({offer.to_email})",
                "since": formatting.day(offer.offered_at, lang),
                "until": formatting.day(offer.expires_at, lang),
            }
            if offer
            else {}
        )

    @rx.event
    async def load(self):
        match = _PATH_ID.search(self.router.url.path or "")
        self.product_id = int(match.group(1)) if match else 0
        self.message, self.errors, self.auth_code, self.working = "", {}, "", False
        self._arm()
        await self._fill()

    def _arm(self) -> None:
        self.renew_key, self.change_key, self.done = new_key(), new_key(), False

    @rx.event
    def again(self):
        """Start another change: fresh keys, the buttons enabled, the last message gone."""
        self._arm()
        self.message, self.errors = "", {}

    @rx.event
    async def show_auth_code(self):
        user = await staff_of(self, ADMIN)
        try:
            self.auth_code = await asyncio.to_thread(
                domain.auth_code_for_staff, user.actor, self.product_id, ip=client_ip(self)
            )
        except NotAllowed:
            self.auth_code = ""

    async def _act(self, action: str, form_name: str, do) -> None:
        """Run one change of the form `form_name` (renew, status, terminate): on success
        its own message; on a refusal the message by the form's reason field (its years
        for a renewal's)."""
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        try:
            done = await asyncio.to_thread(do)
        except InvalidInput as exc:
            self.errors = {
                ("years" if k == "years" else f"{form_name}-reason"): refusal(v, lang)
                for k, v in exc.errors.items()
            }
            return
        except NotAllowed:
            self.errors = {f"{form_name}-reason": translate("error.unexpected", lang)}
            return
        name = self.info.get("name", "")
        self.message = translate(f"admin.product_{action}_done", lang, name=name, date=done)
        self.done = True
        await self._fill()
        # A certificate's part says what the change did to it (revoked, re-issued).
        certificate = await self.get_state(StaffCertificateState)
        await certificate._fill()

    @rx.event
    async def renew(self, form: dict):
        """Renew by hand (a goodwill gesture, no payment): years and a reason; the key
        and the expiry date are those the form was shown with."""
        user = await staff_of(self, ADMIN)
        if self.working or self.done:
            return
        lang = await language_of(self)
        try:
            key = submitted_key(form)
            expected = submitted_date(form, "seen_expiry")
        except InvalidInput:
            self.errors = {"renew-reason": translate("error.form_stale", lang)}
            return
        years = given_id(form.get("years", "1"))
        reason = form.get("reason") if isinstance(form.get("reason"), str) else ""
        self.working = True
        yield
        try:

            def do() -> str:
                new = domain.renew_by_hand(
                    user.actor,
                    self.product_id,
                    years,
                    reason[:300],
                    key=key,
                    expected_expiry=expected,
                    ip=client_ip(self),
                )
                return formatting.day(new, lang)

            await self._act("renew", "renew", do)
        finally:
            self.working = False

    @rx.event
    async def change(self, form: dict):
        """Suspend, unsuspend or terminate, with a reason (terminating is confirmed on
        the page first)."""
        user = await staff_of(self, ADMIN)
        if self.working or self.done:
            return
        action = form.get("action") if form.get("action") in CHANGES else ""
        reason = form.get("reason") if isinstance(form.get("reason"), str) else ""
        key = submitted_key(form)
        self.working = True
        yield
        try:
            await self._act(
                action or "change",
                "terminate" if action == "terminate" else "status",
                lambda: domain.change_status(
                    user.actor,
                    self.product_id,
                    action,
                    reason[:300],
                    key=key or None,
                    ip=client_ip(self),
                ),
            )
        finally:
            self.working = False
