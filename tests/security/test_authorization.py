"""Every event handler of every state, from Reflex's own registry, called by name as an
anonymous visitor, a customer and a support agent. Each handler must be classified here:
a new handler that nobody classified fails this test."""

from __future__ import annotations

import inspect

import pytest
import reflex as rx
from sqlmodel import func, select

import o2portal.o2portal  # noqa: F401  (registers every page and state)
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.web.state.guards import AuthRequired, Forbidden
from tests.state.conftest import make_state, run

# public: anyone (sign-in forms, FAQ, the shell, which resolves the caller itself)
# ui: a setter of the caller's own page state that reads and writes no stored data
# customer: a signed-in person, acting on their own things only
# staff: support and admin
# admin: admin only
LEVELS: dict[str, str] = {}


def _classify(level: str, state: str, *handlers: str) -> None:
    for handler in handlers:
        LEVELS[f"{state}.{handler}"] = level


_classify(
    "public", "SessionState", "log_out", "refresh", "set_language", "stop_acting", "toggle_language"
)
_classify("public", "LoginState", "load", "submit")
_classify("public", "SignupState", "load", "submit")
_classify("ui", "SignupState", "set_account_type", "set_country")
_classify("public", "ForgotPasswordState", "load", "submit")
_classify("public", "ResetPasswordState", "load", "submit")
_classify("public", "VerifyEmailState", "load")
_classify("customer", "VerifyEmailState", "resend")
_classify("public", "FaqState", "load", "set_query")
_classify("public", "ConfirmEmailState", "load")  # the link in the new address's mailbox
# The code step of a sign-in works on its own half-open session, like the login form.
_classify("public", "SecondFactorState", "give_up", "load", "submit")
_classify(
    "customer",
    "ProfileState",
    "cancel_edit",
    "cancel_email_change",
    "change_email",
    "edit",
    "resend_email_link",
    "save",
    "send_check_link",
)
_classify("ui", "ProfileState", "set_account_type", "set_country", "set_language", "set_tab")
_classify("customer", "PasswordChangeState", "submit")
_classify("customer", "SessionsState", "end_other_sessions", "end_session")
_classify(
    "customer",
    "TwoFactorState",
    "cancel_setup",
    "codes_saved",
    "confirm_setup",
    "disable",
    "new_codes",
    "start_setup",
)
_classify("customer", "PrivacyState", "delete_account")
_classify("customer", "DashboardState", "load")
_classify("customer", "ProfileState", "load")
_classify("customer", "TicketsState", "load", "next_page", "previous_page", "set_tab")
_COMPOSER = ("remove_file", "stage_files")  # write staged files: the state's own guard
_classify("customer", "NewTicketState", "load", "submit", *_COMPOSER)
_classify(
    "ui",
    "NewTicketState",
    "set_body",
    "set_compose_tab",
    "set_department",
    "set_priority",
    "set_product_id",
)
_classify(
    "customer", "TicketState", "close_ticket", "load", "reopen_ticket", "reply", "watch", *_COMPOSER
)
_classify("ui", "TicketState", "set_body", "set_compose_tab")
_classify(
    "staff",
    "AdminTicketsState",
    "load",
    "next_page",
    "previous_page",
    "set_assigned",
    "set_department",
    "set_status",
)
_classify(
    "staff",
    "AdminTicketState",
    "assign",
    "close_ticket",
    "load",
    "reopen_ticket",
    "reply",
    "set_await_customer",
    "set_internal",
    "watch",
    *_COMPOSER,
)
_classify("ui", "AdminTicketState", "set_body", "set_compose_tab")
_classify(
    "customer",
    "ServicesState",
    "load",
    "next_page",
    "previous_page",
    "set_kind",
    "set_sort",
    "set_status",
)
_classify(
    "customer",
    "ProductState",
    "again",
    "load",
    "renew",
    "save_nameservers",
    "set_auto_renew",
    "set_lock",
    "set_years",
    "show_auth_code",
)
_classify("ui", "ProductState", "set_method", "set_saved_card_id")
_classify("customer", "InvoicesState", "cancel_order", "choose", "load", "pay")
_classify("ui", "InvoicesState", "close", "set_method", "set_saved_card_id")
_classify(
    "customer",
    "OrderState",
    "add_domain",
    "add_hosting",
    "add_server",
    "add_transfer",
    "apply_promo",
    "load",
    "pay",
    "remove_item",
    "remove_promo",
    "search",
)
_classify(
    "ui",
    "OrderState",
    "choose_tier",
    "set_domain_years",
    "set_hosting_domain",
    "set_hosting_mode",
    "set_hosting_years",
    "set_method",
    "set_promo",
    "set_query",
    "set_saved_card_id",
    "set_tab",
)
_classify("staff", "AdminDashboardState", "load")
_classify(
    "staff", "AdminCustomersState", "load", "next_page", "previous_page", "search", "set_query"
)
_classify("staff", "AdminCustomerState", "load", "send_reset")
_classify("admin", "AdminCustomerState", "act_as", "save", "toggle_disabled")
_classify(
    "staff",
    "AdminProductsState",
    "load",
    "next_page",
    "previous_page",
    "search",
    "set_query",
    "set_status",
    "set_window",
)
_classify("admin", "AdminProductsState", "apply", "select")
_classify(
    "staff",
    "AdminInvoicesState",
    "load",
    "next_page",
    "previous_page",
    "search",
    "set_query",
    "set_status",
)
_classify("admin", "AdminInvoicesState", "cancel_order", "credit", "mark_paid", "open_credit")
_classify(
    "admin",
    "AdminAuditState",
    "load",
    "next_page",
    "previous_page",
    "search",
    "set_action",
    "set_actor",
    "set_customer",
)


_classify("staff", "AdminFaqState", "load", "next_page", "previous_page", "open_entry")
_classify("admin", "AdminFaqState", "new_entry", "save")
_classify("ui", "AdminFaqState", "close", "set_answer", "set_tab")
_classify("staff", "AdminAnnouncementsState", "load", "next_page", "previous_page", "open_item")
_classify("admin", "AdminAnnouncementsState", "new_item", "save", "publish", "unpublish")
_classify("ui", "AdminAnnouncementsState", "close", "set_body", "set_tab")
_classify(
    "admin",
    "AdminEmailsState",
    "load",
    "next_page",
    "previous_page",
    "search",
    "set_status",
    "set_recipient",
    "open_mail",
    "retry",
)
_classify("ui", "AdminEmailsState", "close_mail")


_classify("admin", "AdminSettingsState", "load", "save_autoclose", "save_schedule", "save_seller")


_classify(
    "admin",
    "AdminCatalogState",
    "load",
    "tld_next_page",
    "tld_previous_page",
    "promo_next_page",
    "promo_previous_page",
    "edit_hosting",
    "edit_tld",
    "edit_server",
    "open_new_tld",
    "open_new_promo",
    "close_form",
    "save_hosting",
    "save_tld",
    "add_tld",
    "save_server",
    "create_promo",
    "deactivate_promo",
)


def _states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        for sub in todo.pop().get_substates():
            found.append(sub)
            todo.append(sub)
    return [cls for cls in found if cls.__module__.startswith("o2portal.")]


# Reflex's own `setvar` only dispatches to a state's `set_*` handlers, classified above.
HANDLERS = sorted(
    ((cls, name) for cls in _states() for name in cls.event_handlers if name != "setvar"),
    key=lambda item: (item[0].__name__, item[1]),
)


def _key(cls, name) -> str:
    return f"{cls.__name__}.{name}"


def _args(cls, name) -> list:
    args = []
    for param in list(inspect.signature(cls.event_handlers[name].fn).parameters.values())[1:]:
        if param.name == "form":
            args.append({})
        elif param.annotation in (bool, "bool"):
            args.append(True)
        else:
            args.append("1")
    return args


def test_every_handler_is_classified():
    unknown = [_key(c, n) for c, n in HANDLERS if _key(c, n) not in LEVELS]
    assert unknown == [], f"classify these handlers in {__file__}: {unknown}"
    gone = set(LEVELS) - {_key(c, n) for c, n in HANDLERS}
    assert gone == set(), f"these classified handlers no longer exist: {sorted(gone)}"


def _refusals() -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "admin.refused")
        ).one()


PROTECTED = [
    (c, n) for c, n in HANDLERS if LEVELS.get(_key(c, n)) in ("customer", "staff", "admin")
]


@pytest.mark.parametrize(("cls", "name"), PROTECTED, ids=lambda v: getattr(v, "__name__", v))
def test_protected_handlers_refuse_who_may_not_call_them(people, cls, name):
    level = LEVELS[_key(cls, name)]
    args = _args(cls, name)
    with pytest.raises(AuthRequired):
        run(make_state(cls), name, *args)
    if level == "customer":
        return
    before = _refusals()
    with pytest.raises(Forbidden):
        run(make_state(cls, token=people["token"]["alice"]), name, *args)
    assert _refusals() == before + 1, "a refused staff call must be audited"
    if level == "admin":
        with pytest.raises(Forbidden):
            run(make_state(cls, token=people["token"]["sam"]), name, *args)
