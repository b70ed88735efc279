"""Questions fréquentes: public, searchable as you type."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.content.faq import search_faq
from o2portal.web.guards import current_user
from o2portal.web.session import SessionState, language_of


class FaqState(rx.State):
    query: str = ""
    entries: list[dict[str, str]] = []

    async def _search(self):
        lang = await language_of(self)
        found = await asyncio.to_thread(search_faq, self.query, lang)
        self.entries = [
            {"id": str(e.id), "topic": e.topic, "question": e.question, "answer": e.answer}
            for e in found
        ]

    @rx.event
    async def load(self):
        shell = await self.get_state(SessionState)
        shell._show(await asyncio.to_thread(current_user, self))
        await self._search()

    @rx.event
    async def set_query(self, value: str):
        self.query = value[:200]
        await self._search()
