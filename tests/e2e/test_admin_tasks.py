"""Staff see a call to the registrar that keeps failing, with its error; support sends it
again, an admin closes it with a reason."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.core.db import read_session
from o2portal.products import customer as products
from o2portal.products.models import ProductTask
from tests.e2e.conftest import customer_with_domain, log_in


def _failing_call() -> int:
    """A domain the registry has never heard of: its name servers cannot be changed there,
    in this process or in the app's (whose job retries it)."""
    _email, customer_id, product_id = customer_with_domain("inconnu", 200)
    products.update_nameservers(customer_id, product_id, ["ns1.ailleurs.fr", "ns2.ailleurs.fr"])
    with read_session() as session:
        task = session.exec(select(ProductTask).where(ProductTask.product_id == product_id)).one()
    assert task.status == "pending" and "DomainNotRegistered" in task.last_error
    return task.id


def test_support_retries_and_an_admin_closes_a_failing_call(page: Page, new_context):
    task_id = _failing_call()
    log_in(page, "support@o2portal.example", next_path="/admin/tasks")
    row = page.locator(f"#task-{task_id}")
    expect(row).to_contain_text("Serveurs DNS")
    expect(row).to_contain_text("En attente")
    expect(page.locator("#provider-tasks")).to_contain_text("DomainNotRegistered")
    # Support cannot close it: no button.
    expect(page.locator(f"#task-select-{task_id}")).to_have_count(0)
    page.locator(f"#task-retry-{task_id}").click()
    expect(page.get_by_text("Le prestataire a encore échoué")).to_be_visible()

    admin = new_context().new_page()
    log_in(admin, "admin@o2portal.example", next_path="/admin/tasks")
    admin.locator(f"#task-select-{task_id}").click()
    admin.locator("#task-close").click()
    expect(admin.get_by_text("Ce champ est obligatoire").first).to_be_visible()
    admin.locator("#task-reason").fill("DNS changés à la main chez le registre")
    admin.locator("#task-close").click()
    expect(admin.get_by_text("Appel clos.")).to_be_visible()
    expect(admin.locator(f"#task-{task_id}")).to_have_count(0)
    admin.locator("#task-show").select_option("all")
    closed = admin.locator(f"#task-{task_id}")
    expect(closed).to_contain_text("Clos à la main")
    expect(admin.locator("#provider-tasks")).to_contain_text("DNS changés à la main")
