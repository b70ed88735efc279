"""The shell around every page: brand, navigation, banners, language switch."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import Var, VarData

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import icon_button
from o2portal.web.components.i18n import t
from o2portal.web.customer.auth.state import VerifyEmailState
from o2portal.web.guards import SECOND_FACTOR_SETUP
from o2portal.web.session import SessionState

CUSTOMER_NAV = [
    ("nav.dashboard", "/", "layout-dashboard"),
    ("nav.services", "/services", "server"),
    ("nav.order", "/order", "shopping-cart"),
    ("nav.invoices", "/invoices", "receipt"),
    ("nav.trades", "/trades", "arrow-left-right"),
    ("nav.tickets", "/tickets", "life-buoy"),
    ("nav.contacts", "/contacts", "users"),
    ("nav.faq", "/faq", "circle-help"),
    ("nav.profile", "/profile", "user"),
]


def _icon_link(icon: rx.Component, *texts: rx.Component, href: str, **props) -> rx.Component:
    """A link without underline: an icon and its text side by side."""
    return rx.link(
        rx.hstack(icon, *texts, align="center", spacing="2"), href=href, underline="none", **props
    )


def brand() -> rx.Component:
    return _icon_link(
        rx.icon("cloud", size=26, color=rx.color("accent", 9)),
        rx.text("o2portal", size="5", weight="bold"),
        rx.text(t("app.tagline"), size="2", color_scheme="gray", class_name="o2-tagline"),
        href="/",
        color="inherit",
    )


def _ghost_button(icon: str, key: str, on_click, element_id: str, **props) -> rx.Component:
    """A quiet button of the header or the side bar: an icon, then its text."""
    return icon_button(icon, key, variant="ghost", on_click=on_click, id=element_id, **props)


def language_switch() -> rx.Component:
    return _ghost_button(
        "languages", "lang.switch", SessionState.toggle_language, "lang-switch", size="2"
    )


def _nav_link(key: str, href: str, icon: str) -> rx.Component:
    return _icon_link(rx.icon(icon, size=18), rx.text(t(key)), href=href, class_name="o2-nav-link")


def logout_button() -> rx.Component:
    return _ghost_button(
        "log-out",
        "nav.logout",
        SessionState.log_out,
        "logout",
        icon_size=18,
        color_scheme="gray",
        class_name="o2-nav-link",
    )


def _staff_link() -> rx.Component:
    return rx.cond(SessionState.is_staff, _nav_link("nav.admin", "/admin", "shield"))


def _sidebar() -> rx.Component:
    return rx.vstack(
        *[_nav_link(key, href, icon) for key, href, icon in CUSTOMER_NAV],
        _staff_link(),
        rx.divider(),
        logout_button(),
        spacing="1",
        align="stretch",
        class_name="o2-sidebar",
        as_="nav",
        aria_label="Navigation",
    )


def mobile_menu(*items: rx.Component, after: tuple[rx.Component, ...] = ()) -> rx.Component:
    """The phone's menu: `items`, then past a separator `after` and the sign-out."""
    return rx.menu.root(
        rx.menu.trigger(
            icon_button(
                "menu",
                "nav.menu",
                icon_size=18,
                variant="soft",
                id="mobile-menu",
                class_name="o2-mobile-only",
            )
        ),
        rx.menu.content(
            *items,
            rx.menu.separator(),
            *after,
            rx.menu.item(t("nav.logout"), on_click=SessionState.log_out),
        ),
    )


def menu_link(key: str, href: str) -> rx.Component:
    # The link fills its row: a tap anywhere on the row goes there, not only on the words
    # (a longer entry widens every row).
    return rx.menu.item(rx.link(t(key), href=href, underline="none", width="100%"))


def _mobile_menu() -> rx.Component:
    return mobile_menu(
        *[menu_link(key, href) for key, href, _ in CUSTOMER_NAV],
        rx.cond(SessionState.is_staff, menu_link("nav.admin", "/admin")),
    )


def _email_banner() -> rx.Component:
    return rx.cond(
        SessionState.email_status != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("mail-warning")),
            rx.callout.text(
                rx.cond(
                    SessionState.email_status == "failing",
                    t("banner.failing"),
                    t("banner.unverified"),
                ),
                " ",
                rx.link(t("banner.fix"), href="/profile"),
                rx.cond(
                    SessionState.email_status == "unverified",
                    rx.fragment(
                        " · ",
                        rx.link(
                            t("verify.resend"),
                            on_click=VerifyEmailState.resend,
                            href="#",
                            id="resend-verification",
                        ),
                        " ",
                        rx.text(VerifyEmailState.resend_message, as_="span", weight="bold"),
                    ),
                ),
            ),
            color_scheme=rx.cond(SessionState.email_status == "failing", "red", "amber"),
            id="email-banner",
            width="100%",
        ),
    )


def linked_notice(icon: str, key: str, link_key: str, href: str, colour: str, element_id: str):
    """A full-width callout: a sentence, then a link to where it is dealt with."""
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon)),
        rx.callout.text(t(key), " ", rx.link(t(link_key), href=href)),
        color_scheme=colour,
        id=element_id,
        width="100%",
    )


def _second_factor_banner() -> rx.Component:
    """A staff account without its second factor: the staff area opens once it is on."""
    return rx.cond(
        SessionState.staff_needs_second_factor,
        linked_notice(
            "shield-alert",
            "banner.staff_second_factor",
            "banner.staff_second_factor_link",
            SECOND_FACTOR_SETUP,
            "amber",
            "staff-second-factor-banner",
        ),
    )


def impersonation_banner() -> rx.Component:
    return rx.cond(
        SessionState.impersonating,
        rx.callout.root(
            rx.callout.icon(rx.icon("venetian-mask")),
            rx.callout.text(
                t("banner.impersonating"),
                " ",
                rx.button(
                    t("banner.stop_acting"),
                    size="1",
                    on_click=SessionState.stop_acting,
                    id="stop-acting",
                ),
            ),
            color_scheme="purple",
            width="100%",
            id="acting-banner",
        ),
    )


def hydrated_marker() -> rx.Component:
    """An invisible mark once the page is connected to the server (tests wait for it)."""
    return rx.cond(rx.State.is_hydrated, rx.el.span(id="o2-hydrated", hidden=True))


def shell_header(brand: rx.Component, header: tuple[rx.Component, ...], menu: rx.Component):
    """The header of a signed-in person's pages: brand, `header`, the name, the language,
    the phone's menu."""
    return rx.hstack(
        brand,
        rx.spacer(),
        *header,
        rx.text(SessionState.display_name, size="2", class_name="o2-desktop-only", id="who"),
        language_switch(),
        menu,
        align="center",
        width="100%",
        class_name="o2-header",
        as_="header",
    )


def signed_in_shell(
    *content: rx.Component,
    brand: rx.Component,
    header: tuple[rx.Component, ...],
    menu: rx.Component,
    sidebar: rx.Component,
    class_name: str = "o2-page",
) -> rx.Component:
    """A staff page: the header, the side bar beside the main column, which starts with
    the acting banner. (The customer's header and side bar stay on screen from page to
    page: customer_shell_wraps.)"""
    return rx.box(
        shell_header(brand, header, menu),
        rx.hstack(
            sidebar,
            rx.el.main(
                stack(impersonation_banner(), *content, spacing="4"),
                class_name="o2-main",
            ),
            align="start",
            spacing="5",
            width="100%",
        ),
        hydrated_marker(),
        class_name=class_name,
    )


def customer_layout(*content: rx.Component) -> rx.Component:
    """What a customer's page draws itself: banners, then its content, in the main column
    of the shell that customer_shell_wraps keeps on screen."""
    return rx.fragment(
        rx.el.main(
            stack(
                impersonation_banner(),
                _email_banner(),
                _second_factor_banner(),
                *content,
                spacing="4",
            ),
            class_name="o2-main",
        ),
        hydrated_marker(),
    )


def _route_pattern(route: str) -> str:
    """A page's route (/tickets/[ticket_id]) as a regular expression of its paths."""
    segments = [s for s in route.strip("/").split("/") if s]
    return "/" + "/".join("[^/]+" if s.startswith("[") else re.escape(s) for s in segments)


def _regex(routes: Iterable[str]) -> str:
    pattern = "^(?:" + "|".join(sorted(_route_pattern(r) for r in routes)) + ")/?$"
    return f"new RegExp({json.dumps(pattern)}).test(o2Location.pathname)"


# The browser's router, and whether the component has been mounted in the browser (set
# in a layout effect: before the browser paints anything of the hydrated page).
_ROUTER = VarData(
    imports={
        "react": [ImportVar(tag="useLayoutEffect"), ImportVar(tag="useState")],
        "react-router": [ImportVar(tag="useLocation")],
    },
    hooks={
        "const o2Location = useLocation();": None,
        "const [o2Mounted, setO2Mounted] = useState(false);": None,
        "useLayoutEffect(() => setO2Mounted(true), []);": None,
    },
)


def on_routes(routes: Iterable[str], prerendered: Iterable[str]) -> Var:
    """Whether the browser is on one of `routes`, from its own router: right from the
    first frame of a page, before the server has answered anything.

    The browser's first render hydrates HTML that Reflex prerendered, and must say what
    it says. A route without parameters has HTML of its own, rendered at its path. Any
    other path (a product, a staff page with an id, an unknown one) is served the SPA
    fallback, which is rendered at /: there the first render gives the answer for /,
    and the path's own answer comes once mounted, before the browser paints."""
    routes = list(routes)
    on = _regex(routes)
    static = _regex(r for r in prerendered if "[" not in r)
    at_root = "true" if "/" in routes else "false"
    first = f'(typeof window === "undefined" || {static} ? {on} : {at_root})'
    return Var(_js_expr=f"(o2Mounted ? {on} : {first})", _var_type=bool, _var_data=_ROUTER).to(bool)


def customer_shell_wraps(
    customer_routes: Iterable[str], signed_in_routes: Iterable[str], routes: Iterable[str]
) -> dict[tuple[int, str], Callable[[bool], rx.Component | None]]:
    """The customer's header and side bar, drawn around every page of the app (Reflex's
    app wraps) but shown only on `customer_routes`, and on `signed_in_routes` for someone
    signed in (the FAQ). From one customer page to the next, React keeps them as they
    are and replaces only the page: before, every page drew its own shell, and each
    navigation removed and drew the header, the side bar and the phone's menu again.
    Elsewhere (staff, visitors) the two boxes are display: contents and the page draws
    its own layout. `routes`: every page of the app (see on_routes)."""
    routes = list(routes)
    shown = on_routes(customer_routes, routes) | (
        on_routes(signed_in_routes, routes) & SessionState.signed_in
    )

    # The app's wraps are compiled outside the pages: the components' own default styles
    # (a spacer's flex) are applied here, as Reflex does for its own wraps.
    def frame(_stateful: bool) -> rx.Component:
        return rx.box(
            rx.cond(shown, shell_header(brand(), (), _mobile_menu())),
            class_name=rx.cond(shown, "o2-page", "o2-frame"),
        )._add_style_recursive({})

    def body(_stateful: bool) -> rx.Component:
        return rx.box(
            rx.cond(shown, rx.box(_sidebar(), class_name="o2-desktop-only")),
            class_name=rx.cond(shown, "o2-body", "o2-frame"),
        )._add_style_recursive({})

    # Inside Reflex's overlay (4) and outside the page (0): frame > body > the page.
    return {(3, "O2CustomerFrame"): frame, (2, "O2CustomerBody"): body}


def public_layout(*content: rx.Component) -> rx.Component:
    """Pages for visitors (login, sign-up, lost password): centred, no navigation."""
    return rx.box(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.link(t("nav.faq"), href="/faq", size="2"),
            language_switch(),
            align="center",
            class_name="o2-header",
            as_="header",
        ),
        rx.el.main(rx.center(rx.vstack(*content, align="center", width="100%"), width="100%")),
        hydrated_marker(),
        class_name="o2-page",
    )


def page_title(key: str) -> rx.Component:
    """The heading of a page of the customer's shell."""
    return rx.heading(t(key), size="7", as_="h1")
