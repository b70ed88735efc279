"""Ma fiche, personal data: the export (served by a guarded route in web/routes.py) and
the deletion of the account."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts import personal_data
from o2portal.accounts.sessions import CurrentUser
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip
from o2portal.web.helpers import (
    form_checked,
    form_text,
    send_mail_soon,
    start_busy,
    translated,
    with_password,
)
from o2portal.web.session import LEAVE_SCRIPT, language_of, owner_of

EXPORT_PATH = "/files/my-data.json"


class PrivacyState(rx.State):
    # Why the account cannot be deleted now (translated), if anything stops it.
    blockers: list[str] = []
    errors: dict[str, str] = {}
    busy: bool = False

    async def _fill(self, customer_id: int) -> None:
        lang = await language_of(self)
        found = await asyncio.to_thread(personal_data.deletion_blockers, customer_id)
        credit = formatting.money(found.credit_cents, lang)
        self.blockers = [
            translate(
                key,
                lang,
                products=found.live_products,
                orders=found.unpaid_orders,
                credit=credit,
            )
            for key in found.errors()
        ]

    async def _start(self, user: CurrentUser) -> None:
        self.errors, self.busy = {}, False
        await self._fill(user.customer.id)

    @rx.event
    async def delete_account(self, form: dict):
        user = await owner_of(self)
        if not start_busy(self, errors={}):
            return
        yield
        try:
            await with_password(
                personal_data.delete_account,
                user.customer.id,
                form_text(form, "delete_password", 200),
                form_checked(form, "delete_confirm"),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            errors = await translated(self, exc.errors)
            if "delete" in exc.errors:
                lang = await language_of(self)
                blockers = await asyncio.to_thread(
                    personal_data.deletion_blockers, user.customer.id
                )
                credit = formatting.money(blockers.credit_cents, lang)
                errors["delete"] = translate(
                    exc.errors["delete"],
                    lang,
                    products=blockers.live_products,
                    orders=blockers.unpaid_orders,
                    credit=credit,
                )
            self.errors = errors
            await self._fill(user.customer.id)
            return
        finally:
            self.busy = False
        send_mail_soon()
        # The session is revoked already: drop the cookie and leave.
        yield rx.call_script(LEAVE_SCRIPT % "deleted")
