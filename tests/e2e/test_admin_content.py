"""Staff content and outbox pages in a real browser: an announcement an admin publishes
reaches a customer's dashboard; the emails page lists and filters the demo outbox."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.content.models import Announcement
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from tests.e2e.conftest import ARTIFACTS, eventually, log_in, wait_signed_in


def test_admin_publishes_an_announcement_that_a_customer_sees(new_context):
    title = f"Coupure réseau {uuid.uuid4().hex[:6]}"
    admin = new_context().new_page()
    log_in(admin, "admin@o2portal.example", next_path="/admin/content")
    wait_signed_in(admin)
    admin.locator("#ann-new").click()
    admin.locator("#ann-title").fill(title)
    admin.locator("#ann-body").fill(
        "Le réseau sera **coupé** ce soir.\n\n<script>alert(1)</script>"
    )
    admin.locator("#ann-preview").click()
    preview = admin.locator("#ann-preview-box")
    expect(preview.locator("strong")).to_have_text("coupé")
    expect(preview.locator("script")).to_have_count(0)
    admin.locator("#ann-write").click()
    admin.locator("#ann-save").click()
    expect(admin.locator("#ann-saved")).to_be_visible()
    item_id = eventually(lambda: _announcement_id(title))
    assert item_id
    expect(admin.locator(f"#ann-state-{item_id}")).to_have_text("Brouillon")
    admin.locator(f"#ann-publish-{item_id}").click()
    expect(admin.locator(f"#ann-state-{item_id}")).to_have_text("Visible")
    ARTIFACTS.mkdir(exist_ok=True)
    admin.screenshot(path=str(ARTIFACTS / "admin-content.png"), full_page=True)
    assert eventually(lambda: _audited("staff.announcement_published", item_id))

    client = new_context().new_page()
    log_in(client, "client@o2portal.example", next_path="/")
    wait_signed_in(client)
    callout = client.get_by_text(title)
    expect(callout).to_be_visible()
    expect(client.locator("strong", has_text="coupé")).to_be_visible()
    client.screenshot(path=str(ARTIFACTS / "dashboard-announcement.png"), full_page=True)

    admin.locator(f"#ann-unpublish-{item_id}").click()
    expect(admin.locator(f"#ann-state-{item_id}")).to_have_text("Brouillon")
    client.reload()
    wait_signed_in(client)
    expect(client.get_by_text("Maintenance planifiée du serveur web12")).to_be_visible()
    expect(client.get_by_text(title)).to_have_count(0)


def _announcement_id(title: str) -> int | None:
    with read_session() as session:
        return session.exec(select(Announcement.id).where(Announcement.title == title)).first()


def _audited(action: str, target_id: int) -> bool:
    with read_session() as session:
        return (
            session.exec(
                select(AuditEvent.id).where(
                    AuditEvent.action == action, AuditEvent.target_id == target_id
                )
            ).first()
            is not None
        )


def test_emails_page_lists_filters_and_retries_a_failed_mail(page: Page, smtp):
    log_in(page, "admin@o2portal.example", next_path="/admin/emails")
    wait_signed_in(page)
    table = page.locator("#mail-table")
    expect(table).to_contain_text("Bienvenue chez o2portal")
    # Other browser tests send mail to the same demo accounts: check by status, not by count.
    page.locator("#mail-status").select_option("failed")
    expect(table).not_to_contain_text("Bienvenue chez o2portal")
    expect(table).not_to_contain_text("Envoyé")
    expect(table).to_contain_text("paul.bernard@o2portal.example")
    expect(table).to_contain_text("Votre nom de domaine arrive à échéance")
    page.locator("#mail-status").select_option("sent")
    expect(table).to_contain_text("Bienvenue chez o2portal")
    expect(table).not_to_contain_text("Échec")
    page.locator("#mail-status").select_option("failed")
    page.locator("#mail-recipient").fill("paul")
    page.locator("#mail-search").click()
    expect(page.locator("#mail-total")).to_have_text("1 email(s)")

    page.get_by_text("Votre nom de domaine arrive à échéance").click()
    expect(page.locator("#mail-error")).to_contain_text("550")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-emails.png"), full_page=True)
    page.locator("#mail-retry").click()
    expect(page.locator("#mail-message")).to_be_visible()

    # The app's sender picks it up: delivered once to the real SMTP server.
    def retried():
        return [
            m
            for m in smtp.messages
            if m["To"] == "paul.bernard@o2portal.example" and "arrive à échéance" in m["Subject"]
        ]

    assert eventually(retried, timeout=20)
    page.locator("#mail-status").select_option("failed")
    expect(page.locator("#mail-total")).to_have_text("0 email(s)")
    assert len(retried()) == 1


def test_support_reads_content_but_not_the_outbox(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/content")
    wait_signed_in(page)
    # The list goes by language (en, then fr), each by topic: 25 English entries first.
    expect(page.locator("#faq-table")).to_contain_text("How do I create my customer account?")
    page.get_by_role("button", name="Suivant").last.click()
    expect(page.locator("#faq-table")).to_contain_text("Comment créer mon compte client ?")
    expect(page.locator("#ann-new")).to_have_count(0)
    expect(page.locator("#faq-new")).to_have_count(0)
    page.goto("/admin/emails")
    expect(page.locator("#mail-table tbody tr")).to_have_count(0)
