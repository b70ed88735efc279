"""Technical contacts in a real browser: a client invites their webmaster, who accepts
and changes the name servers of the client's domain; the client sees it on /contacts and
is emailed; the client revokes, and the webmaster's open page loses the product."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import select

from tests.e2e.conftest import (
    FRESH_PASSWORD,
    customer_with_domain,
    eventually,
    fresh_customer,
    log_in,
    wait_signed_in,
)


def _link_id(holder_id: int) -> int:
    from o2portal.core.db import read_session
    from o2portal.products.contact_models import ProductContact

    with read_session() as session:
        return session.exec(
            select(ProductContact.id).where(ProductContact.holder_id == holder_id)
        ).one()


def _nameservers(product_id: int) -> str:
    from o2portal.core.db import read_session
    from o2portal.products.models import Product

    with read_session() as session:
        return session.get(Product, product_id).nameservers_json or ""


def test_a_webmaster_manages_a_domain_until_the_client_revokes(new_context, smtp):
    client_email, client_id, domain_id = customer_with_domain("contactclient", 200)
    domain = f"contactclient-{client_id}.fr"
    webmaster_email = fresh_customer("webmaster")

    client = new_context().new_page()
    log_in(client, client_email, FRESH_PASSWORD, next_path="/contacts")
    wait_signed_in(client)
    # Bad input first: her own address, said by the field, nothing sent.
    client.locator("#invite-product").select_option(str(domain_id))
    client.locator("#email").fill(client_email)
    client.locator("#invite-submit").click()
    expect(client.locator("#invite-form")).to_contain_text("votre propre adresse")
    client.locator("#email").fill(webmaster_email)
    client.locator("#invite-submit").click()
    expect(client.locator("#contacts-message")).to_be_visible()
    expect(client.locator("#contacts-mine")).to_contain_text(webmaster_email)
    invitation = smtp.wait_for(lambda m: m["To"] == webmaster_email and "contact" in m["Subject"])
    assert domain in invitation["Subject"] and "/contacts" in smtp.text_of(invitation)
    link_id = _link_id(client_id)

    webmaster = new_context().new_page()
    log_in(webmaster, webmaster_email, FRESH_PASSWORD, next_path="/contacts")
    wait_signed_in(webmaster)
    expect(webmaster.locator("#contacts-invitations")).to_contain_text(domain)
    webmaster.locator(f"#accept-{link_id}").click()
    expect(webmaster.locator("#contacts-clients")).to_contain_text(domain)
    # The client is shown by name, never by address.
    expect(webmaster.locator("#contacts-clients")).not_to_contain_text(client_email)

    webmaster.goto("/services")
    managed = webmaster.locator("#services-managed")
    expect(managed).to_contain_text(domain)
    managed.get_by_role("link", name=domain).click()
    expect(webmaster.locator("#managed-for")).to_contain_text("Camille Profil")
    # What a technical contact never sees: the renewal, the invoices, the transfer code.
    expect(webmaster.locator("#renew")).to_have_count(0)
    expect(webmaster.locator("#show-auth-code")).to_have_count(0)
    webmaster.locator("#ns1").fill("ns1.agence-web.net")
    webmaster.locator("#ns2").fill("ns2.agence-web.net")
    webmaster.locator("#ns-save").click()
    expect(webmaster.locator("#ns-message")).to_be_visible()
    assert "ns1.agence-web.net" in eventually(lambda: _nameservers(domain_id))

    told = smtp.wait_for(
        lambda m: m["To"] == client_email and "serveurs DNS" in m["Subject"], timeout=30
    )
    assert "ns1.agence-web.net" in smtp.text_of(told)
    client.goto("/contacts")
    expect(client.locator("#contacts-actions")).to_contain_text("a changé les serveurs DNS")
    expect(client.locator("#contacts-actions")).to_contain_text("ns2.agence-web.net")

    # The client revokes while the webmaster's page is open on the domain.
    client.locator(f"#revoke-{link_id}").click()
    client.locator(f"#revoke-{link_id}-confirm").click()
    expect(client.locator("#contacts-message")).to_contain_text(re.compile("retiré", re.I))
    expect(webmaster.locator("#access-removed")).to_be_visible(timeout=20_000)
    expect(webmaster.locator("#ns-save")).to_have_count(0)
    expect(webmaster.locator("#product-name")).to_have_count(0)
    revoked = smtp.wait_for(lambda m: m["To"] == webmaster_email and "retiré" in m["Subject"])
    assert domain in revoked["Subject"]
