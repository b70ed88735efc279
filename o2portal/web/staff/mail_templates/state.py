"""Staff (admin): the text of each mail kind per language — list, edit, preview, reset.
Every handler checks the admin role first; the domain (mail.editor) checks it again and
validates the text."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.mail import editor, templating
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_text
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)


def kind_name(kind: str, lang: str) -> str:
    """A mail kind in words: its catalogue name (mailkind.*), else its code made readable."""
    key = f"mailkind.{kind}"
    text = translate(key, lang)
    return kind.replace("_", " ").capitalize() if text == key else text


def refusal_messages(exc: InvalidInput, lang: str) -> dict[str, str]:
    """The field errors of a refusal in `lang`, with the values the messages name."""
    values = getattr(exc, "values", {})
    return {
        field: translate(key, lang, **values.get(field, {})) for field, key in exc.errors.items()
    }


class AdminMailTemplatesState(rx.State):
    rows: list[dict[str, str]] = []
    # The text open in the editor: kind and language ("" when none), as loaded.
    kind: str = ""
    language: str = ""
    title: str = ""
    subject: str = ""
    body: str = ""
    edited: bool = False
    variables: list[str] = []
    # What the admin typed, for the preview (the form sends its own copy to save).
    draft_subject: str = ""
    draft_body: str = ""
    preview_subject: str = ""
    preview_body: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    form_key: int = 0

    async def _fill(self, user, lang: str) -> None:
        kinds = await asyncio.to_thread(editor.list_kinds, user.actor)
        self.rows = [
            {
                "kind": row.kind,
                "name": kind_name(row.kind, lang),
                **{
                    language: "edited" if language in row.edited else "default"
                    for language in templating.LANGUAGES
                },
            }
            for row in kinds
        ]
        self.rows.sort(key=lambda r: r["name"].casefold())

    async def _open(self, user, kind: str, language: str, lang: str) -> None:
        text = await asyncio.to_thread(editor.kind_text, user.actor, kind, language)
        self.kind, self.language = text.kind, text.language
        self.title = f"{kind_name(text.kind, lang)} — {translate(f'mailtpl.lang_{language}', lang)}"
        self.subject = self.draft_subject = text.subject
        self.body = self.draft_body = text.body
        self.edited = text.edited
        self.variables = ["${" + name + "}" for name in text.variables]
        self.form_key += 1
        await self._preview(user)

    @rx.event
    async def load(self):
        user, lang = await load_staff(self, ADMIN)
        self.kind, self.errors, self.message = "", {}, ""
        await self._fill(user, lang)

    @rx.event
    async def open_text(self, kind: str, language: str):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        if kind not in templating.KINDS or language not in templating.LANGUAGES:
            self.kind = ""
            return
        await self._open(user, kind, language, lang)
        # The editor is above the list: bring it to the admin who clicked far below.
        return rx.scroll_to("tpl-editor")

    @rx.event
    async def set_draft_subject(self, value: str):
        user = await staff_of(self, ADMIN)
        self.draft_subject = (value if isinstance(value, str) else "")[: templating.SUBJECT_MAX + 1]
        await self._preview(user)

    @rx.event
    async def set_draft_body(self, value: str):
        user = await staff_of(self, ADMIN)
        self.draft_body = (value if isinstance(value, str) else "")[: templating.BODY_MAX + 1]
        await self._preview(user)

    async def _preview(self, user) -> None:
        """The text typed so far rendered with sample values, or what is wrong with it by
        its field: the preview follows the typing."""
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        if not self.kind:
            return
        try:
            subject, body = await asyncio.to_thread(
                editor.preview,
                user.actor,
                self.kind,
                self.language,
                self.draft_subject,
                self.draft_body,
            )
        except InvalidInput as exc:
            self.errors = refusal_messages(exc, lang)
            self.preview_subject = self.preview_body = ""
            return
        self.preview_subject, self.preview_body = subject, body

    @rx.event
    async def save(self, form: dict):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        if not self.kind:
            return
        subject = form_text(form, "subject", templating.SUBJECT_MAX + 1)
        body = form_text(form, "body", templating.BODY_MAX + 1)
        self.draft_subject, self.draft_body = subject, body
        try:
            edited = await asyncio.to_thread(
                editor.save_text,
                user.actor,
                self.kind,
                self.language,
                subject,
                body,
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            # What was typed stays in the fields (they are not reset), with the errors.
            self.errors = refusal_messages(exc, lang)
            return
        await self._open(user, self.kind, self.language, lang)
        await self._fill(user, lang)
        self.message = translate("mailtpl.saved" if edited else "mailtpl.saved_default", lang)

    @rx.event
    async def reset_text(self):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        if not self.kind:
            return
        await asyncio.to_thread(
            editor.reset_text, user.actor, self.kind, self.language, ip=client_ip(self)
        )
        await self._open(user, self.kind, self.language, lang)
        await self._fill(user, lang)
        self.message = translate("mailtpl.reset_done", lang)

    @rx.event
    def close(self):
        self.kind, self.errors, self.message = "", {}, ""
        self.preview_subject = self.preview_body = ""
