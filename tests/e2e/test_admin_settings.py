"""The staff settings page in a real browser: the reminder schedule saved and shown again
after a reload, a bad SIRET answered by its field and nothing saved."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent, Setting
from tests.e2e.conftest import ARTIFACTS, log_in


def _setting(key: str):
    with read_session() as session:
        row = session.get(Setting, key)
        return None if row is None else json.loads(row.value_json)


def test_admin_changes_the_schedule_and_a_bad_siret_is_refused(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin/settings")
    schedule = page.locator("#reminder_schedule")
    expect(schedule).to_have_value("D-60, D-30, D-15, D-7, D-1, D0, D+7")

    # A stage written wrong: the message by the field, nothing saved.
    schedule.fill("D-60, D-abc")
    page.locator("#save-schedule").click()
    expect(page.locator("#reminder_schedule-error")).to_contain_text("D-60, D0 ou D+7")
    assert _setting("reminder_schedule") == ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]

    schedule.fill("d+3, D-45,D-10 , D0")
    page.locator("#save-schedule").click()
    expect(page.locator("#settings-schedule")).to_contain_text("Calendrier des relances enregistré")
    expect(page.locator("#reminder_schedule-error")).to_have_count(0)
    assert _setting("reminder_schedule") == ["D-45", "D-10", "D0", "D+3"]

    page.reload()
    expect(page.locator("#reminder_schedule")).to_have_value("D-45, D-10, D0, D+3")

    # The seller's SIRET with a wrong check digit: refused by its field, nothing saved.
    expect(page.locator("#seller-env")).to_be_visible()
    page.locator("#seller_name").fill("Hébergeur Nouveau SARL")
    page.locator("#seller_siret").fill("510 961 139 00028")
    page.locator("#save-seller").click()
    error = page.locator("#seller_siret-error")
    expect(error).to_contain_text("SIRET n'est pas valide")
    expect(page.locator("#seller_vat_number-error")).to_have_count(0)
    # What was typed stays in the form, to be corrected.
    expect(page.locator("#seller_name")).to_have_value("Hébergeur Nouveau SARL")
    assert _setting("seller_identity") is None

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-settings.png"), full_page=True)

    page.locator("#seller_siret").fill("510 961 139 00027")
    page.locator("#save-seller").click()
    expect(page.locator("#settings-seller")).to_contain_text("Identité du vendeur enregistrée")
    expect(page.locator("#seller-env")).to_have_count(0)
    assert _setting("seller_identity")["name"] == "Hébergeur Nouveau SARL"
    with read_session() as session:
        changed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.settings_changed")
        ).all()
    assert {json.loads(e.details_json)["setting"] for e in changed} == {
        "reminder_schedule",
        "seller_identity",
    }


def test_support_cannot_use_the_settings_page(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/settings")
    expect(page.get_by_text("Accès refusé").first).to_be_visible()
    expect(page.locator("#reminder_schedule")).to_have_count(0)


# Every text field of the page, whether its value shows whole and whether it stays inside
# its card: [id, value, shown whole, inside].
_FIELDS_SEEN = """() => [
    ...document.querySelectorAll('main input[type=text], main input:not([type])')
].map(el => {
    const box = el.getBoundingClientRect();
    const card = el.closest('.rt-Card').getBoundingClientRect();
    return [el.id, el.value, el.scrollWidth <= el.clientWidth,
            box.left >= card.left - 0.5 && box.right <= card.right + 0.5];
})"""


def test_the_bank_details_show_whole_at_1440(new_context):
    """An IBAN is up to 34 characters: at 1440 px it shows whole in its field, and no
    field of the page runs out of its card."""
    page = new_context(viewport={"width": 1440, "height": 1000}).new_page()
    log_in(page, "admin@o2portal.example", next_path="/admin/settings")
    expect(page.locator("#payment_iban")).not_to_have_value("")
    page.locator("#settings-payment").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-settings-1440.png"), full_page=True)
    fields = page.evaluate(_FIELDS_SEEN)
    assert {"payment_iban", "payment_bic", "seller_siret"} <= {f[0] for f in fields}
    clipped = [f for f in fields if not (f[2] and f[3])]
    assert clipped == [], clipped
    # A long IBAN (Russia's, 33 characters) typed in groups of four is kept whole, and
    # shows whole.
    long_iban = "RU03 0445 2522 5408 1781 0538 0913 1041 9"
    page.locator("#payment_iban").fill(long_iban)
    expect(page.locator("#payment_iban")).to_have_value(long_iban)
    clipped = [f for f in page.evaluate(_FIELDS_SEEN) if not (f[2] and f[3])]
    assert clipped == [], clipped
    page.screenshot(path=str(ARTIFACTS / "admin-settings-1440-long-iban.png"), full_page=True)
