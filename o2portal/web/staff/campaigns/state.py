"""Staff (admin): mass mail to a segment — the form, its preview (the exact count and
the mail the first recipient gets), sending once per form key, and past campaigns."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.mail import campaigns as domain
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_checked, form_text, send_mail_soon
from o2portal.web.lists import Paged
from o2portal.web.payment import new_key, submitted_key
from o2portal.web.session import language_of, load_staff, staff_of
from o2portal.web.staff.mail_templates.state import refusal_messages

ADMIN = ("admin",)
FORM_FIELDS = ("server", "offer", "extension", "expiring_before", "subject", "body")


def segment_words(segment: dict, lang: str) -> str:
    """A campaign's segment as a phrase: "serveur web12…, domaine en .fr"."""
    parts = []
    for field, key in (
        ("server", "campaign.seg_server"),
        ("offer", "campaign.seg_offer"),
        ("extension", "campaign.seg_extension"),
    ):
        if segment.get(field):
            parts.append(translate(key, lang, value=segment[field]))
    if segment.get("expiring_before"):
        when = formatting.day(date.fromisoformat(segment["expiring_before"]), lang)
        parts.append(translate("campaign.seg_expiring", lang, value=when))
    if segment.get("unverified"):
        parts.append(translate("campaign.seg_unverified", lang))
    return ", ".join(parts)


class AdminCampaignsState(Paged, rx.State):
    servers: list[str] = []
    offers: list[list[str]] = []  # [code, name]
    extensions: list[str] = []
    rows: list[dict[str, str]] = []
    # The form's idempotency key (a hidden field): one campaign per key.
    send_key: str = ""
    # The preview: "" until one is made, else the count it found.
    count: str = ""
    sample_to: str = ""
    sample_subject: str = ""
    sample_body: str = ""
    # How many of the segment the preview left out because their address fails ("" none).
    failing_note: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    done: bool = False
    confirming: bool = False  # the confirmation dialog is open
    form_key: int = 0
    # What the preview was made of: what sending sends (server side only).
    _previewed: dict[str, str] = {}

    async def _fill(self, page: int) -> None:
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        found = await asyncio.to_thread(domain.list_campaigns, user.actor, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(c.id),
                "date": formatting.moment(c.created_at, lang),
                "author": c.author,
                "subject": c.subject,
                "segment": segment_words(c.segment, lang),
                "recipients": str(c.recipients),
                "sent": str(c.sent),
                "pending": str(c.pending),
                "failed": str(c.failed),
            }
            for c in found.rows
        ]

    def _start_over(self) -> None:
        self.send_key, self.done = new_key(), False
        self.count = self.sample_to = self.sample_subject = self.sample_body = ""
        self.failing_note = ""
        self.errors, self.message, self._previewed = {}, "", {}
        self.form_key += 1

    @rx.event
    async def load(self):
        user, _ = await load_staff(self, ADMIN)
        choices = await asyncio.to_thread(domain.segment_choices, user.actor)
        self.servers = choices.servers
        self.offers = [[code, name] for code, name in choices.offers]
        self.extensions = choices.extensions
        self._start_over()
        await self._fill(1)

    @rx.event
    async def preview(self, form: dict):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        typed = {name: form_text(form, name, 20001) for name in FORM_FIELDS}
        typed["unverified"] = "on" if form_checked(form, "unverified") else ""
        try:
            found = await asyncio.to_thread(domain.preview, user.actor, typed)
        except InvalidInput as exc:
            self.errors = refusal_messages(exc, lang)
            self.count, self.failing_note, self._previewed = "", "", {}
            return
        self._previewed = typed
        self.count = str(found.count)
        self.sample_to = found.sample_to
        self.sample_subject, self.sample_body = found.subject, found.body
        self.failing_note = (
            translate("campaign.failing_left_out", lang, count=found.failing)
            if found.failing
            else ""
        )

    @rx.event
    def set_confirming(self, value: bool):
        self.confirming = value is True

    @rx.event
    async def send(self, form: dict):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        self.errors, self.message, self.confirming = {}, "", False
        if not self._previewed:
            self.errors = {"segment": translate("campaign.preview_first", lang)}
            return
        try:
            sent = await asyncio.to_thread(
                domain.send,
                user.actor,
                self._previewed,
                key=submitted_key(form),
                seen_count=form_text(form, "seen_count", 12),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = refusal_messages(exc, lang)
            return
        self.done = True
        key = "campaign.sent" if sent.created else "campaign.sent_before"
        self.message = translate(key, lang, count=sent.recipients)
        send_mail_soon()
        await self._fill(1)

    @rx.event
    async def again(self):
        await staff_of(self, ADMIN)
        self._start_over()
