"""The staff catalogue in a real browser: an admin changes the .fr registration price and
a customer's domain search on /order shows it at once; support cannot see the page."""

from __future__ import annotations

import json
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.catalog import staff as admin_catalog
from o2portal.catalog.models import PromoCode, TldPrice
from o2portal.core import formatting
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from tests.e2e.conftest import ARTIFACTS, log_in, wait_signed_in
from tests.unit.helpers import actor


def _typed(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def _fr() -> TldPrice:
    with read_session() as session:
        return session.exec(select(TldPrice).where(TldPrice.tld == "fr")).one()


def test_admin_changes_the_fr_price_and_the_order_page_shows_it(page: Page, new_context):
    original = _fr()
    new_cents = original.register_cents + 111  # 8,25 € in the demo → 9,36 €
    try:
        log_in(page, "admin@o2portal.example", next_path="/admin/catalogue")
        expect(page.locator("#catalog-tlds")).to_contain_text(".fr")
        page.locator("#edit-tld-fr").click()
        register = page.locator("#catalog-register")
        expect(register).to_have_value(_typed(original.register_cents))

        # Bad input: the message is next to the field and nothing is saved.
        register.fill("12,345")
        page.locator("#catalog-save").click()
        expect(page.locator("#register-error")).to_contain_text("montant en euros")
        assert _fr().register_cents == original.register_cents
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-catalogue-form.png"), full_page=True)

        register.fill(_typed(new_cents))
        page.locator("#catalog-save").click()
        expect(page.locator("#catalog-message")).to_contain_text("Extension .fr enregistrée")
        fr_row = page.locator("#catalog-tlds tr", has=page.locator("code", has_text=".fr"))
        expect(fr_row.first).to_contain_text(formatting.money(new_cents))
        expect(page.locator("#catalog-form")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "admin-catalogue.png"), full_page=True)

        assert _fr().register_cents == new_cents
        with read_session() as session:
            event = session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "catalogue.tld_updated")
                .order_by(col(AuditEvent.id).desc())
            ).first()
        details = json.loads(event.details_json)
        assert details["old"]["register_cents"] == original.register_cents
        assert details["new"]["register_cents"] == new_cents

        # A customer searching for a free .fr name sees the new price, without a restart.
        customer = new_context().new_page()
        log_in(customer, "client@o2portal.example", next_path="/order")
        wait_signed_in(customer)
        customer.locator("#tab-domain").click()
        customer.locator("#domain-search").fill(f"prix-{uuid.uuid4().hex[:8]}.fr")
        customer.locator("#domain-check").click()
        available = customer.locator("#domain-available")
        expect(available).to_be_visible()
        expect(available.locator("xpath=..")).to_contain_text(formatting.money(new_cents))

        # A promo code made on the page, then deactivated.
        code = f"E2E{uuid.uuid4().hex[:6].upper()}"
        page.locator("#new-promo").click()
        page.locator("#catalog-code").fill(code)
        page.locator("#catalog-kind").select_option("percent")
        page.locator("#catalog-value").fill("150")
        page.locator("#catalog-max_uses").fill("20")
        page.locator("#catalog-save").click()
        expect(page.locator("#value-error")).to_contain_text("pourcentage")
        page.screenshot(path=str(ARTIFACTS / "admin-catalogue-promo.png"), full_page=True)
        page.locator("#catalog-value").fill("15")
        page.locator("#catalog-save").click()
        expect(page.locator("#catalog-message")).to_contain_text(f"Code promo {code} créé")
        expect(page.locator("#catalog-promos")).to_contain_text("0 / 20")
        page.locator(f"#deactivate-promo-{code}").click()
        expect(page.locator("#catalog-message")).to_contain_text("désactivé")
        expect(page.locator(f"#deactivate-promo-{code}")).to_have_count(0)
        with read_session() as session:
            promo = session.exec(select(PromoCode).where(PromoCode.code == code)).one()
        assert (promo.value, promo.max_uses, promo.active) == (1500, 20, False)
    finally:
        # Other browser tests share this database: put the demo price back.
        with read_session() as session:
            admin = session.exec(
                select(Customer).where(Customer.email == "admin@o2portal.example")
            ).one()
        fr = _fr()
        admin_catalog.update_tld_price(
            actor(admin.id),
            fr.id,
            {
                "register": _typed(original.register_cents),
                "renew": _typed(fr.renew_cents),
                "transfer": _typed(fr.transfer_cents),
                "restore": _typed(fr.restore_cents),
                "active": fr.active,
            },
        )
        assert _fr().register_cents == original.register_cents


def test_support_does_not_see_the_catalogue(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/catalogue")
    expect(page.get_by_text("Accès refusé").first).to_be_visible()
    expect(page.locator("#catalog-tlds")).to_have_count(0)
    expect(page.locator("#edit-tld-fr")).to_have_count(0)
