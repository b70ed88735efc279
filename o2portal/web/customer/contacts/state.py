"""/contacts: the contacts on my products (and what they did), the invitations I
received, and the clients I look after."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import contact_lists, contacts
from o2portal.products.contact_models import OPEN_STATUSES
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_text, given_id, send_mail_soon, translated
from o2portal.web.session import customer_of, language_of, load_customer


def _contact_row(row: contact_lists.ContactRow, lang: str) -> dict[str, str]:
    when = row.revoked_at or row.answered_at or row.invited_at
    return {
        "id": str(row.id),
        "product_id": str(row.product_id),
        "product": row.product_name,
        "role": translate(f"contacts.role.{row.role}", lang),
        "status": row.status,
        "status_label": translate(f"contacts.status.{row.status}", lang),
        "holder": row.holder_name,
        "contact": row.contact_name,
        "email": row.contact_email,
        "since": formatting.moment(when, lang),
        "open": "1" if row.status in OPEN_STATUSES else "",
    }


class ContactsState(rx.State):
    mine: list[dict[str, str]] = []
    actions: list[dict[str, str]] = []
    invitations: list[dict[str, str]] = []
    clients: list[dict[str, str]] = []
    products: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    message: str = ""
    notice: str = ""
    # A new value empties the invitation form after an invitation went out.
    form_key: int = 0

    async def _fill(self) -> None:
        user, lang = await load_customer(self)
        me = user.customer.id
        mine, actions, invitations, clients, products = await asyncio.to_thread(
            lambda: (
                contact_lists.contacts_of_holder(me),
                contact_lists.actions_for_holder(me),
                contact_lists.invitations_for(me),
                contact_lists.clients_of(me),
                contact_lists.invitable_products(me),
            )
        )
        self.mine = [_contact_row(r, lang) for r in mine]
        self.invitations = [_contact_row(r, lang) for r in invitations]
        # A contact sees the holder by display name only: the rows' email is the
        # contact's own, and is left out.
        self.clients = [_contact_row(r, lang) | {"email": ""} for r in clients]
        self.actions = [
            {
                "at": formatting.moment(a.at, lang),
                "contact": a.contact_name,
                "product": a.product_name,
                "action": translate(f"contacts.action.{a.action}", lang),
                "details": a.details,
            }
            for a in actions
        ]
        self.products = [
            {"id": str(pid), "label": f"{name} ({translate(f'kind.{kind}', lang)})"}
            for pid, name, kind in products
        ]

    @rx.event
    async def load(self):
        self.errors, self.message, self.notice = {}, "", ""
        await self._fill()

    @rx.event
    async def invite(self, form: dict):
        """Invite an account, by its email, as a contact on one of my products."""
        user = await customer_of(self)
        lang = await language_of(self)
        self.errors, self.message, self.notice = {}, "", ""
        try:
            await asyncio.to_thread(
                contacts.invite,
                user.customer.id,
                given_id(form.get("product_id")),
                form_text(form, "email", 300),
                form_text(form, "role", 20),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.errors = {"product_id": translate("error.not_your_product", lang)}
            return
        send_mail_soon()
        self.message = translate("contacts.invited", lang)
        self.form_key += 1
        await self._fill()

    async def _act(self, rule, link_id: str, done_key: str) -> None:
        user = await customer_of(self)
        lang = await language_of(self)
        self.errors, self.message, self.notice = {}, "", ""
        try:
            await asyncio.to_thread(rule, user.customer.id, given_id(link_id), client_ip(self))
        except InvalidInput as exc:
            self.notice = translate(next(iter(exc.errors.values())), lang)
        except NotAllowed:
            self.notice = translate("contacts.not_found", lang)
        else:
            send_mail_soon()
            self.message = translate(done_key, lang)
        await self._fill()

    @rx.event
    async def accept(self, link_id: str):
        await self._act(
            lambda me, lid, ip: contacts.answer(me, lid, True, ip=ip), link_id, "contacts.accepted"
        )

    @rx.event
    async def refuse(self, link_id: str):
        await self._act(
            lambda me, lid, ip: contacts.answer(me, lid, False, ip=ip), link_id, "contacts.refused"
        )

    @rx.event
    async def revoke(self, link_id: str):
        await self._act(
            lambda me, lid, ip: contacts.revoke(me, lid, ip=ip), link_id, "contacts.revoked"
        )
