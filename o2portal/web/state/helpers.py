"""Small pieces shared by the handlers of Ma fiche."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.auth import CurrentUser
from o2portal.core.i18n import translate
from o2portal.web.state.guards import Forbidden, require_customer
from o2portal.web.state.session import language_of


async def translated(state: rx.State, errors: dict[str, str]) -> dict[str, str]:
    """Field errors (i18n keys) in the visitor's language."""
    lang = await language_of(state)
    return {field: translate(key, lang) for field, key in errors.items()}


def require_account_owner(state: rx.State) -> CurrentUser:
    """The customer in person: staff acting as the customer may not change how the
    account is secured, nor delete it."""
    user = require_customer(state)
    if user.impersonator_id is not None:
        raise Forbidden("staff acting as a customer may not change the account's security")
    return user
