"""Questions fréquentes: public, searchable as you type, in both languages at once."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.content.faq import search_faq
from o2portal.web.guards import current_user
from o2portal.web.session import SessionState


def _found(query: str, language: str) -> list[dict[str, str]]:
    return [
        {"id": str(e.id), "topic": e.topic, "question": e.question, "answer": e.answer}
        for e in search_faq(query, language)
    ]


class FaqState(rx.State):
    query: str = ""
    # What the search finds in each language: the page shows the one of the language
    # switch, which then changes the entries at once, with no new search.
    entries_fr: list[dict[str, str]] = []
    entries_en: list[dict[str, str]] = []

    async def _search(self):
        query = self.query
        self.entries_fr, self.entries_en = await asyncio.to_thread(
            lambda: (_found(query, "fr"), _found(query, "en"))
        )

    @rx.event
    async def load(self):
        shell = await self.get_state(SessionState)
        shell._show(await asyncio.to_thread(current_user, self))
        # A page opened or reloaded shows an empty search field: it searches nothing.
        self.query = ""
        await self._search()

    @rx.event
    async def set_query(self, value: str):
        self.query = value[:200]
        await self._search()
