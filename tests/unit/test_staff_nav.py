"""The staff navigation lists every staff page without a parameter, and marks as
admins-only exactly the pages whose handlers are for admins only."""

from __future__ import annotations

import o2portal.o2portal  # noqa: F401  (registers every page)
from o2portal.web.components.admin import ADMIN_NAV, _active
from o2portal.web.pages import ADMIN, page_at, registered_pages
from o2portal.web.staff.emails.tabs import MAIL_TABS


def test_the_nav_marks_admins_pages_as_their_pages_do():
    for _, route, _, admins in ADMIN_NAV:
        assert (page_at(route).guard == ADMIN) is admins, route


def test_every_staff_page_is_in_the_nav():
    staff = {
        p.route for p in registered_pages() if p.route.startswith("/admin") and "[" not in p.route
    }
    # The search's results page is reached from the header's box; the mail pages from
    # the tabs of /admin/emails (web/staff/emails/tabs.py), which the nav marks for them.
    tabs = {href for _, href, _ in MAIL_TABS}
    assert staff - {"/admin/search"} - tabs == {route for _, route, _, _ in ADMIN_NAV} - tabs
    assert all(_active(href, "/admin/emails") for href in tabs)


def test_a_page_below_an_entry_marks_it():
    assert _active("/admin/tickets/[ticket_id]", "/admin/tickets")
    assert _active("/admin", "/admin")
    assert not _active("/admin/tickets", "/admin")
