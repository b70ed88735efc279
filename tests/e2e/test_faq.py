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


def test_in_english_the_faq_is_in_english_contacts_and_change_of_holder_included(page: Page):
    page.goto("/faq")
    faq = page.locator("#faq-list")
    expect(faq).to_contain_text("Qui sont les contacts technique et administratif")
    page.locator("#lang-switch").click()
    # The entries follow the switch at once, without a reload.
    expect(faq).to_contain_text("Who are the technical and administrative contacts of my domain?")
    expect(faq).not_to_contain_text("Qui sont les contacts")
    expect(faq).to_contain_text("Which payment methods do you accept?")
    search = page.locator("#faq-search")
    search.fill("holder")
    expect(faq).to_contain_text("How do I transfer the ownership of a product to someone else?")
    page.get_by_text("How do I transfer the ownership of a product").click()
    expect(faq).to_contain_text("Offer the change")
    expect(faq).not_to_contain_text("Which payment methods")
    # An English word finds nothing in French.
    page.locator("#lang-switch").click()
    expect(page.locator("#faq-list")).to_have_count(0)
    page.locator("#lang-switch").click()
    expect(faq).to_contain_text("How do I transfer the ownership")
    # A reload keeps the language, and its empty search field searches nothing.
    page.reload()
    expect(page.locator("#faq-search")).to_have_value("")
    expect(page.locator("#faq-list")).to_contain_text("How do I transfer the ownership")
    expect(page.locator("#faq-list")).to_contain_text("Which payment methods do you accept?")
    page.locator("#lang-switch").click()
    expect(page.locator("#faq-list")).to_contain_text("Comment transférer la propriété")
