"""Staff see the background jobs: a job failing three times in a row shows red with its
error, the support address gets one mail about it, and the other jobs keep running."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from o2portal.jobs import runner
from tests.e2e.conftest import eventually, log_in


def _broken(_last_run):
    raise RuntimeError("registrar API unreachable (e2e)")


def test_support_sees_a_failing_job_and_its_error(page: Page, smtp):
    for _ in range(runner.ALERT_AFTER_FAILURES):
        assert runner.run_job("e2e_broken", _broken).outcome == "failed"

    log_in(page, "support@o2portal.example", next_path="/admin/jobs")
    broken = page.locator("#job-e2e_broken")
    expect(broken).to_contain_text("Échoué")
    expect(broken).to_contain_text(str(runner.ALERT_AFTER_FAILURES))
    # The app's own timer runs the real jobs beside it: they succeed.
    expect(page.locator("#job-outbox")).to_contain_text("Réussi")

    broken.get_by_role("link", name="e2e_broken").click()
    runs = page.locator("#jobs-runs")
    expect(runs).to_contain_text("registrar API unreachable (e2e)")
    expect(runs.locator("tbody tr", has_text="outbox")).to_have_count(0)

    # One mail to the support address for the streak, delivered by the outbox job.
    def alerts():
        return [m for m in smtp.messages if "e2e_broken" in str(m["Subject"])]

    assert len(eventually(alerts, timeout=90)) == 1
    assert alerts()[0]["To"] == "support@o2portal.example"
