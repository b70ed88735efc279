"""Text in the visitor's language, chosen in the browser from both compiled catalogues."""

from __future__ import annotations

import reflex as rx

from o2portal.core.i18n import CATALOGUES
from o2portal.web.session import SessionState


def t(key: str) -> rx.Var:
    return rx.cond(SessionState.lang == "en", CATALOGUES["en"][key], CATALOGUES["fr"][key])
