"""Every page response carries the security headers (a content security policy that
forbids framing and foreign scripts, nosniff, a referrer policy), and the pages still
work under that policy: signed in, a customer goes through /, /login and /services
without the browser reporting one violation."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, wait_signed_in

WANTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _check(headers: dict[str, str]) -> None:
    for name, value in WANTED.items():
        assert headers.get(name) == value, (name, headers)
    policy = headers.get("content-security-policy", "")
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in policy, policy
    assert "*" not in policy
    scripts = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    # Inline and eval: Reflex's router data and rx.call_script; no other origin.
    assert scripts.split()[1:] == ["'self'", "'unsafe-inline'", "'unsafe-eval'"], scripts


def test_pages_carry_the_headers_and_work_under_the_policy(page):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: violations.append(str(e)))
    for path in ("/login",):
        response = page.goto(path)
        _check(response.headers)
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    for path in ("/", "/services"):
        response = page.goto(path)
        _check(response.headers)
        wait_signed_in(page)
    expect(page.locator("#services-total")).to_be_visible()
    assert violations == []


def test_the_file_routes_and_the_health_check_carry_them_too(page, base_url):
    response = page.request.get(f"{base_url}/files/my-data.json")
    assert response.status == 401
    _check(response.headers)
