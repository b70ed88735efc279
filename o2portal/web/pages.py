"""One decorator for every route: what a page is (route, title, layout, loaders) and who may
call the handlers of the states it uses.

    @customer_page(
        "/tickets/[ticket_id]",
        on_load=TicketState.load,
        ui=[TicketState.set_body, TicketState.set_compose_tab],
    )
    def ticket_page() -> rx.Component:
        return rx.fragment(...)  # the content only: the decorator wraps it in its layout

Who may call what. Every public method of an rx.State is callable from the browser by
name, whatever page shows it (DESIGN.md, "Security model"). A page's states are those of
its loaders, those of the handlers it names and those it lists in `states`. Each handler
of those states has the page's guard level (customer; staff for support and admin; admin;
public for the visitors' pages) unless the decorator names it as:
- public: anyone, signed in or not (sign-in forms, the FAQ search);
- ui: a setter of the caller's own page state that reads and writes no stored data;
- customer: on a visitors' page, a handler that needs a signed-in person;
- admin: on a staff page that support may read, a handler for admins only.
The shell's SessionState resolves the caller itself: its handlers are public.

So a new handler gets its page's level without a word, and one that must be more open
(or, on a support page, more closed) is named where the page is declared. handler_levels()
gathers the lot for tests/security/test_authorization.py, which calls every handler by
name as a visitor, a customer and a support agent and checks the refusals its level
requires; a state used by the app but named by no page fails that test.

The decorator returns the page function unchanged; app.py adds every registered page.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType

import reflex as rx
from reflex_base.event import EventHandler
from reflex_components_core.base.fragment import Fragment

from o2portal.web.components.admin import admin_layout
from o2portal.web.components.layout import customer_layout, public_layout
from o2portal.web.doors import at_the_door
from o2portal.web.session import SessionState

PUBLIC = "public"
UI = "ui"
CUSTOMER = "customer"
STAFF = "staff"
ADMIN = "admin"

TITLE = "o2portal — espace client"
STAFF_TITLE = "o2portal — administration"
SUPPORT_AND_ADMIN = ("support", "admin")
ADMINS_ONLY = ("admin",)

Content = Callable[[], rx.Component]
Layout = Callable[[Content], rx.Component]
Handlers = EventHandler | Sequence[EventHandler]


def _parts(content: Content) -> list[rx.Component]:
    """What a page function returns, as the layout's children: a fragment at the top is
    only a way to return several of them."""
    component = content()
    if type(component) is Fragment:
        return list(component.children)
    return [component]


def visitor_layout(content: Content) -> rx.Component:
    """Centred, no navigation: login, sign-up, lost password…"""
    return public_layout(*_parts(content))


def customer_shell(content: Content) -> rx.Component:
    """Banners, then the content, in the customer's shell: its header and side bar (a menu
    on a phone) are drawn once around every page (customer_shell_wraps, app.py)."""
    return customer_layout(*_parts(content))


def visitor_or_customer_layout(content: Content) -> rx.Component:
    """The customer's shell for someone signed in, the visitor's otherwise (the FAQ)."""
    return rx.cond(
        SessionState.signed_in,
        customer_layout(*_parts(content)),
        public_layout(*_parts(content)),
    )


def _staff_shell(title_key: str, route: str, admins: bool) -> Layout:
    def staff_shell(content: Content) -> rx.Component:
        return admin_layout(title_key, *_parts(content), route=route, admins=admins)

    staff_shell.__name__ = f"admin_layout({title_key})"
    return staff_shell


@dataclasses.dataclass(frozen=True)
class Page:
    route: str
    title: str
    content: Content
    layout: Layout
    layout_name: str
    on_load: tuple[EventHandler, ...]
    guard: str
    states: tuple[type[rx.State], ...]
    # The handlers the decorator named, "State.handler" -> level.
    named: dict[str, str]
    # What Reflex compiles: the content in its layout.
    render: Content

    def levels(self) -> dict[str, str]:
        """Every handler of the page's states with its level."""
        return {
            key: self.named.get(key, self.guard)
            for state in self.states
            for key in handler_keys(state)
        }


_PAGES: dict[str, Page] = {}
# The shell's state is on every page; its handlers are behind the door too.
at_the_door(SessionState, keep_on_loop=("toggle_language", "set_language"))


def handler_keys(state: type[rx.State]) -> list[str]:
    # Reflex's own `setvar` only dispatches to a state's `set_*` handlers, classified
    # like the others.
    return [f"{state.__name__}.{name}" for name in state.event_handlers if name != "setvar"]


def _key(handler: EventHandler) -> str:
    return f"{handler.state.__name__}.{handler.fn.__name__}"


def _handlers(value: Handlers | None) -> tuple[EventHandler, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, EventHandler) else tuple(value)


def _register(
    route: str,
    *,
    guard: str,
    title: str,
    layout: Layout,
    on_load: tuple[EventHandler, ...],
    states: Iterable[type[rx.State]],
    named: dict[str, tuple[EventHandler, ...]],
) -> Callable[[Content], Content]:
    if route in _PAGES:
        raise ValueError(f"two pages for the route {route}")
    levels: dict[str, str] = {}
    for level, handlers in named.items():
        for handler in handlers:
            if levels.setdefault(_key(handler), level) != level:
                raise ValueError(f"{route}: {_key(handler)} is named twice")
    used = [
        *(h.state for h in on_load),
        *states,
        *(h.state for handlers in named.values() for h in handlers),
    ]
    # The shell's state is on every page and classified once (public).
    page_states = tuple(s for s in dict.fromkeys(used) if s is not SessionState)

    for state in page_states:
        ui = [key.split(".", 1) for key, level in levels.items() if level == UI]
        at_the_door(state, keep_on_loop=[name for owner, name in ui if owner == state.__name__])

    def decorate(content: Content) -> Content:
        @functools.wraps(content)
        def render() -> rx.Component:
            return layout(content)

        _PAGES[route] = Page(
            route=route,
            title=title,
            content=content,
            layout=layout,
            layout_name=layout.__name__,
            on_load=on_load,
            guard=guard,
            states=page_states,
            named=levels,
            render=render,
        )
        return content

    return decorate


def public_page(
    route: str,
    *,
    on_load: Handlers,
    states: Iterable[type[rx.State]] = (),
    ui: Handlers | None = None,
    customer: Handlers | None = None,
    layout: Layout = visitor_layout,
    title: str = TITLE,
) -> Callable[[Content], Content]:
    """A visitors' page: its states' handlers are public unless named `ui` or `customer`."""
    return _register(
        route,
        guard=PUBLIC,
        title=title,
        layout=layout,
        on_load=_handlers(on_load),
        states=states,
        named={UI: _handlers(ui), CUSTOMER: _handlers(customer)},
    )


def customer_page(
    route: str,
    *,
    on_load: Handlers,
    states: Iterable[type[rx.State]] = (),
    public: Handlers | None = None,
    ui: Handlers | None = None,
    title: str = TITLE,
) -> Callable[[Content], Content]:
    """A signed-in person's page (staff have their own products too): its states' handlers
    need a customer (require_customer) unless named `public` or `ui`."""
    return _register(
        route,
        guard=CUSTOMER,
        title=title,
        layout=customer_shell,
        on_load=_handlers(on_load),
        states=states,
        named={PUBLIC: _handlers(public), UI: _handlers(ui)},
    )


def staff_page(
    route: str,
    *,
    roles: tuple[str, ...],
    title_key: str,
    on_load: Handlers,
    states: Iterable[type[rx.State]] = (),
    public: Handlers | None = None,
    ui: Handlers | None = None,
    admin: Handlers | None = None,
    title: str = STAFF_TITLE,
) -> Callable[[Content], Content]:
    """A staff page, in the staff frame under the heading `title_key`, loaded after the
    shell's refresh. roles=("support", "admin"): its handlers are for staff, except those
    named `admin`; roles=("admin",): all of them are for admins."""
    if set(roles) not in ({*SUPPORT_AND_ADMIN}, {*ADMINS_ONLY}):
        raise ValueError(f"{route}: roles are {SUPPORT_AND_ADMIN} or {ADMINS_ONLY}")
    admins_only = set(roles) == {*ADMINS_ONLY}
    if admins_only and admin:
        raise ValueError(f"{route}: every handler of an admins' page is for admins already")
    return _register(
        route,
        guard=ADMIN if admins_only else STAFF,
        title=title,
        layout=_staff_shell(title_key, route, admins_only),
        on_load=(SessionState.refresh, *_handlers(on_load)),
        states=states,
        named={PUBLIC: _handlers(public), UI: _handlers(ui), ADMIN: _handlers(admin)},
    )


def import_pages(*packages: ModuleType) -> None:
    """Import every page module (page.py, *_page.py) below these packages: their
    decorators fill the registry."""
    for package in packages:
        prefix = package.__name__ + "."
        for info in pkgutil.walk_packages(package.__path__, prefix):
            leaf = info.name.rsplit(".", 1)[1]
            if leaf == "page" or leaf.endswith("_page"):
                importlib.import_module(info.name)


def registered_pages() -> list[Page]:
    return list(_PAGES.values())


def page_at(route: str) -> Page:
    return _PAGES[route]


def handler_levels() -> dict[str, str]:
    """{"State.handler": level} for every handler of every state a page uses."""
    levels = dict.fromkeys(handler_keys(SessionState), PUBLIC)
    for page in _PAGES.values():
        for key, level in page.levels().items():
            if levels.setdefault(key, level) != level:
                raise ValueError(f"{key} is {levels[key]} elsewhere but {level} on {page.route}")
    return levels
