"""The FAQ search customers use: accents and case folded, every word must match."""

from __future__ import annotations

from o2portal.content.faq import search_faq
from o2portal.content.models import FaqEntry
from o2portal.core.db import transaction
from o2portal.demo.seed import seed_demo


def test_search_finds_password_and_invoice_entries(db):
    seed_demo()
    everything = search_faq("")
    password = search_faq("mot de passe")
    invoice = search_faq("facture")

    assert password and all("mot de passe" in _text(e) for e in password)
    assert any(
        "mot de passe perdu" in _text(e) or "perdu mon mot de passe" in _text(e) for e in password
    )
    assert invoice and any("obtenir une facture" in e.question.lower() for e in invoice)
    assert len(password) < len(everything) and len(invoice) < len(everything)
    # Accents and capitals do not matter; a word that is nowhere finds nothing.
    assert [e.id for e in search_faq("FACTURÉ")] == [e.id for e in search_faq("facture")]
    assert search_faq("mot de passe zzqxw") == []


def test_unpublished_entries_are_not_found(db):
    with transaction() as session:
        session.add(FaqEntry(topic="Test", question="Brouillon zzqx", answer="…", published=False))
        session.add(FaqEntry(topic="Test", question="Publiée zzqx", answer="…"))
    assert [e.question for e in search_faq("zzqx")] == ["Publiée zzqx"]


def _text(entry: FaqEntry) -> str:
    return f"{entry.topic} {entry.question} {entry.answer}".lower()
