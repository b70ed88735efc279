"""Questions fréquentes: public, searchable as you type, in both languages at once."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.content.faq import search_faq_languages
from o2portal.web.guards import current_user
from o2portal.web.session import SessionState


def _found(query: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """What the page shows in French and in English: one read for both."""
    found = search_faq_languages(query, ("fr", "en"))
    return tuple(
        [
            {"id": str(e.id), "topic": e.topic, "question": e.question, "answer": e.answer}
            for e in found[language]
        ]
        for language in ("fr", "en")
    )


class FaqState(rx.State):
    query: str = ""
    # What the search finds in each language: the page shows the one of the language
    # switch, which then changes the entries at once, with no new search.
    entries_fr: list[dict[str, str]] = []
    entries_en: list[dict[str, str]] = []

    async def _search(self):
        query = self.query
        self.entries_fr, self.entries_en = await asyncio.to_thread(_found, query)

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
