"""The FAQ in a real browser: searched as you type, grouped by topic."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_search_as_you_type_finds_password_and_invoice(page: Page):
    page.goto("/faq")
    faq = page.locator("#faq-list")
    expect(faq).to_contain_text("Quels moyens de paiement acceptez-vous ?")
    search = page.locator("#faq-search")

    search.fill("mot de passe")
    expect(faq).to_contain_text("J'ai perdu mon mot de passe")
    expect(faq).not_to_contain_text("Quels moyens de paiement")

    search.fill("facture")
    expect(faq).to_contain_text("Comment obtenir une facture ?")
    expect(faq).not_to_contain_text("J'ai perdu mon mot de passe")
    page.get_by_text("Comment obtenir une facture ?").click()
    expect(faq).to_contain_text("Factures")

    search.fill("zzqxw introuvable")
    expect(page.locator("#faq-list")).to_have_count(0)
