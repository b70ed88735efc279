"""The FAQ search customers use: accents and case folded, every word must match."""

from __future__ import annotations

import re

from o2portal.content.default_faq import DEFAULT_FAQ, ensure_faq
from o2portal.content.faq import search_faq, search_faq_languages
from o2portal.content.models import FaqEntry
from o2portal.content.staff import FAQ_LANGUAGES
from o2portal.core.db import transaction
from o2portal.demo.seed import seed_demo
from tests.unit.helpers import statements_run


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


def test_both_languages_are_searched_in_one_statement(db):
    """The page searches French and English at each keystroke: one read for both, each
    language getting its own entries."""
    seed_demo()
    with statements_run("SELECT") as selects:
        found = search_faq_languages("", ("fr", "en"))
    assert len(selects) == 1
    assert len(found["fr"]) == len(DEFAULT_FAQ["fr"]) == len(found["en"])
    assert {e.language for e in found["fr"]} == {"fr"}
    assert {e.language for e in found["en"]} == {"en"}
    assert [e.question for e in search_faq_languages("facture", ("fr", "en"))["fr"]] == [
        e.question for e in found["fr"] if "facture" in _text(e)
    ]


def test_a_language_without_entries_is_shown_the_french_ones(db):
    with transaction() as session:
        session.add(FaqEntry(topic="Compte", question="Seule question ?", answer="Réponse."))
    found = search_faq_languages("", ("fr", "en"))
    assert (
        [e.question for e in found["en"]]
        == ["Seule question ?"]
        == [e.question for e in found["fr"]]
    )


def _text(entry: FaqEntry) -> str:
    return f"{entry.topic} {entry.question} {entry.answer}".lower()


# Words that give away a French text (an English answer must hold none of them).
_FRENCH = re.compile(
    r"\b(vous|votre|vos|les|des|une|est|pour|dans|avec|sont|aussi|depuis|jusqu)\b|"
    r"Ma fiche|Mes comptes|Commander|Factures|Tableau de bord",
    re.IGNORECASE,
)


def _shape(answer: str) -> tuple[int, ...]:
    """Paragraphs, list items, table rows and code fences of a Markdown answer."""
    lines = answer.splitlines()
    return (
        len([p for p in answer.split("\n\n") if p.strip()]),
        sum(line.startswith("- ") for line in lines),
        sum(bool(re.match(r"\d+\. ", line)) for line in lines),
        sum(line.startswith("|") for line in lines),
        sum(line.lstrip().startswith("```") for line in lines),
    )


def test_every_default_entry_has_its_english_version():
    """The default FAQ in each language the customer can choose: entry for entry, topic
    for topic, with the same paragraphs, lists, tables and code, written in English."""
    french, english = DEFAULT_FAQ["fr"], DEFAULT_FAQ["en"]
    assert set(DEFAULT_FAQ) == set(FAQ_LANGUAGES)
    assert len(english) == len(french)
    topics = {(fr.topic, en.topic) for fr, en in zip(french, english, strict=True)}
    assert len(topics) == len({fr.topic for fr in french}) == len({en.topic for en in english})
    for fr, en in zip(french, english, strict=True):
        assert _shape(en.answer) == _shape(fr.answer), (fr.question, en.question)
        prose = re.sub(r"`[^`]*`", "", f"{en.topic} {en.question} {en.answer}")
        assert not _FRENCH.search(prose), (en.question, _FRENCH.search(prose))
        assert len(en.question) <= 300 and len(en.answer) <= 10_000


def test_an_english_customer_reads_the_whole_default_faq_in_english(db):
    seed_demo()
    french, english = search_faq("", "fr"), search_faq("", "en")
    assert len(english) == len(french) == len(DEFAULT_FAQ["fr"])
    assert {e.language for e in english} == {"en"}
    # The entries the contacts and the change of holder brought, found in English.
    assert [e.question for e in search_faq("technical contact webmaster", "en")] == [
        "Who are the technical and administrative contacts of my domain?"
    ]
    assert "Change the holder" in " ".join(e.answer for e in search_faq("holder", "en"))


def test_an_installation_with_the_french_faq_only_gets_the_english_one_once(db):
    """ensure_faq fills each language that has no entry yet, and never touches an entry
    that exists (staff may have edited it)."""
    with transaction() as session:
        session.add(FaqEntry(topic="Compte", question="Notre question ?", answer="Notre réponse."))
    with transaction() as session:
        ensure_faq(session)
    with transaction() as session:
        ensure_faq(session)
    assert [e.question for e in search_faq("", "fr")] == ["Notre question ?"]
    assert len(search_faq("", "en")) == len(DEFAULT_FAQ["en"])
