"""Staff pages. Each module lists its routes in PAGES; register_admin_pages adds them all,
each with the shell's refresh first (its handlers check the staff role themselves)."""

from __future__ import annotations

import importlib
import pkgutil

import reflex as rx

from o2portal.web.state.session import SessionState

TITLE = "o2portal — administration"


def register_admin_pages(app: rx.App) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for route, component, on_load in getattr(module, "PAGES", []):
            app.add_page(
                component, route=route, title=TITLE, on_load=[SessionState.refresh, *on_load]
            )
