"""Ordering in a real browser: a new customer buys hosting Cloud with its free .fr domain."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.signup import SignupForm, sign_up
from o2portal.billing.models import Invoice
from o2portal.core import clock, formatting
from o2portal.core.db import read_session
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.e2e.conftest import log_in, wait_signed_in

PASSWORD = "Nouveau-client-2026"


def new_customer() -> str:
    tag = uuid.uuid4().hex[:8]  # a domain of its own: sign-ups per domain are slowed
    email = f"nouveau.{tag}@{tag}.exemple.fr"
    sign_up(
        SignupForm(
            first_name="Nina",
            last_name="Nouvelle",
            email=email,
            phone="06 11 22 33 44",
            address_line1="5 place du Marché",
            postal_code="44000",
            city="Nantes",
            password=PASSWORD,
            password_confirm=PASSWORD,
            accept_terms=True,
        )
    )
    return email


def test_new_customer_orders_hosting_cloud_with_a_free_fr_domain(page: Page, smtp):
    email = new_customer()
    domain = f"nina-{uuid.uuid4().hex[:6]}.fr"
    log_in(page, email, PASSWORD, next_path="/order")
    wait_signed_in(page)
    expect(page.get_by_text("Aucune commande pour le moment.")).to_be_visible()
    page.locator("#tier-cloud").click()
    page.locator("#hosting-years").select_option("1")
    page.locator("#hosting-mode").select_option("register")
    page.locator("#hosting-domain").fill(domain)
    page.locator("#add-hosting").click()
    lines = page.locator("#cart-lines")
    expect(lines).to_contain_text(f"Hébergement Cloud — {domain} — 1 an")
    expect(lines).to_contain_text("offert avec l'hébergement")
    expect(page.locator("#cart-ht")).to_have_text(formatting.money(2112))
    expect(page.locator("#cart-vat")).to_have_text(formatting.money(422))
    expect(page.locator("#cart-ttc")).to_have_text(formatting.money(2534))

    page.locator("#card_number").fill("4242 4242 4242 4242")
    page.locator("#card_expiry").fill("12/30")
    page.locator("#card_cvc").fill("123")
    page.locator("#card_holder").fill("Nina Nouvelle")
    # Without the consents nothing is ordered.
    page.locator("#order-form-submit").click()
    expect(page.locator("#terms-error")).to_be_visible()
    page.locator("#withdrawal").check()
    page.locator("#terms").check()
    page.locator("#order-form-submit").click()
    expect(page.locator("#order-done")).to_contain_text("Commande payée")
    number = re.search(r"F\d{4}-\d{6}", page.locator("#order-done").inner_text()).group(0)
    # Mes commandes, empty until now, shows the order at once, with its invoice's PDF.
    first = page.locator("#order-history tbody tr").first
    expect(first).to_contain_text("Payée")
    expect(first).to_contain_text(formatting.money(2534))
    expect(first.locator(".o2-pdf-link")).to_be_visible()

    expiry = formatting.day(add_years(clock.today(), 1))
    page.goto("/services")
    table = page.locator("#services-table")
    hosting_row = table.locator("tr", has_text="Hébergement")
    domain_row = table.locator("tr", has_text="Nom de domaine")
    expect(hosting_row).to_contain_text(domain)
    expect(hosting_row).to_contain_text(expiry)
    expect(domain_row).to_contain_text(domain)
    expect(domain_row).to_contain_text(expiry)

    page.goto("/invoices")
    row = page.locator("#invoices-table tr", has_text=number)
    expect(row).to_contain_text(formatting.money(2534))
    # What it was for, HT and TTC, its state and how it was paid.
    expect(row).to_contain_text(domain)
    expect(row).to_contain_text(formatting.money(2112))
    expect(row).to_contain_text("Payée")
    expect(page.locator("#invoices-table thead")).to_contain_text("Désignation")
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
        products = session.exec(select(Product).where(Product.name == domain)).all()
    assert (invoice.total_ht_cents, invoice.total_vat_cents, invoice.total_ttc_cents) == (
        2112,
        422,
        2534,
    )
    assert sorted(p.kind for p in products) == ["domain", "hosting"]
    assert all(p.expiry_date == add_years(clock.today(), 1) for p in products)
    mail = smtp.wait_for(
        lambda m: m["To"] == email and "Confirmation de votre commande" in m["Subject"]
    )
    assert domain in mail.get_content()


def test_domain_search_offers_transfer_for_a_taken_name_and_explains_bad_names(page: Page):
    log_in(page, "client@o2portal.example", next_path="/order")
    wait_signed_in(page)
    page.locator("#tab-domain").click()
    search = page.locator("#domain-search")
    search.fill("google.fr")
    page.locator("#domain-check").click()
    expect(page.locator("#domain-taken")).to_contain_text("déjà enregistré")
    expect(page.locator("#add-transfer")).to_be_visible()
    expect(page.locator("#add-domain")).to_have_count(0)
    # A name managed here is never offered for transfer, and the page says why.
    for name, text in (
        ("atelier-lumiere.com", "par un autre client"),  # another demo customer's
        ("marie-dupont.com", "déjà dans votre compte"),  # this customer's own
    ):
        search.fill(name)
        page.locator("#domain-check").click()
        expect(page.locator("#domain-managed")).to_contain_text(text)
        expect(page.locator("#add-transfer")).to_have_count(0)
        expect(page.locator("#add-domain")).to_have_count(0)
    for bad, text in (
        ("mon site.fr", "espace"),
        ("a" * 64 + ".fr", "63 caractères"),
        ("exemple.zzz", "extension n'est pas proposée"),
        ("-exemple.fr", "tiret"),
    ):
        search.fill(bad)
        page.locator("#domain-check").click()
        expect(
            page.locator("#tab-domain")
            .locator("xpath=ancestor::div[1]")
            .page.get_by_role("alert")
            .first
        ).to_contain_text(text)
    search.fill("café-des-amis-" + uuid.uuid4().hex[:4] + ".fr")
    page.locator("#domain-check").click()
    expect(page.locator("#domain-available")).to_contain_text("café-des-amis")
