"""The Reflex app: pages, theme, the cookie routes and the background mail sender."""

import asyncio
import logging
import traceback

import reflex as rx
from reflex_base.event import EventSpec

from o2portal.core.i18n import translate
from o2portal.jobs.runner import run_all
from o2portal.web.components.i18n import t
from o2portal.web.pages import auth as auth_pages
from o2portal.web.pages import customer
from o2portal.web.pages import profile as profile_pages
from o2portal.web.pages import tickets as ticket_pages
from o2portal.web.pages.admin import register_admin_pages
from o2portal.web.pages.faq import faq_page
from o2portal.web.pages.order import order_page
from o2portal.web.pages.product import product_page
from o2portal.web.routes import build_routes, limit_uploads
from o2portal.web.state.auth import (
    ForgotPasswordState,
    LoginState,
    ResetPasswordState,
    SignupState,
    VerifyEmailState,
)
from o2portal.web.state.dashboard import DashboardState
from o2portal.web.state.faq import FaqState
from o2portal.web.state.guards import AuthRequired, Forbidden, login_url
from o2portal.web.state.invoices import InvoicesState
from o2portal.web.state.order import OrderState
from o2portal.web.state.product import ProductState
from o2portal.web.state.profile import ConfirmEmailState, ProfileState
from o2portal.web.state.second_factor import SecondFactorState
from o2portal.web.state.services import ServicesState
from o2portal.web.state.session import SessionState
from o2portal.web.state.tickets import NewTicketState, TicketsState, TicketState

log = logging.getLogger("o2portal")
JOBS_INTERVAL_SECONDS = 60


def handle_backend_error(exception: Exception) -> EventSpec | None:
    """Guards raise; this turns their refusals into a redirect or a message."""
    if isinstance(exception, AuthRequired):
        return rx.redirect(login_url(exception.next_path))
    if isinstance(exception, Forbidden):
        return rx.toast.error(translate("denied.title"), id="forbidden")
    log.error("handler failed:\n%s", "".join(traceback.format_exception(exception)))
    return rx.toast.error(translate("error.unexpected"), id="backend-error")


async def run_jobs_periodically():
    """Reminders, auto-renewal, expiry and mail, every minute; the database lease keeps
    several workers (and a cron run) from doing the same job at once."""
    while True:
        try:
            await asyncio.to_thread(run_all)
        except Exception:  # noqa: BLE001 - one failed run must not stop the timer
            log.exception("background jobs failed")
        await asyncio.sleep(JOBS_INTERVAL_SECONDS)


app = rx.App(
    stylesheets=["/o2portal.css"],
    api_transformer=[build_routes(), limit_uploads],
    backend_exception_handler=handle_backend_error,
    html_lang="fr",
)
app.register_lifespan_task(run_jobs_periodically)

TITLE = "o2portal — espace client"

# Visitors
app.add_page(auth_pages.login_page, route="/login", title=TITLE, on_load=LoginState.load)
app.add_page(auth_pages.signup_page, route="/signup", title=TITLE, on_load=SignupState.load)
app.add_page(
    auth_pages.forgot_password_page,
    route="/forgot-password",
    title=TITLE,
    on_load=ForgotPasswordState.load,
)
app.add_page(
    auth_pages.reset_password_page,
    route="/reset-password",
    title=TITLE,
    on_load=ResetPasswordState.load,
)
app.add_page(
    auth_pages.verify_email_page,
    route="/verify-email",
    title=TITLE,
    on_load=[VerifyEmailState.load, SessionState.refresh],
)
app.add_page(faq_page, route="/faq", title=TITLE, on_load=FaqState.load)
app.add_page(
    profile_pages.second_factor_page,
    route="/two-factor",
    title=TITLE,
    on_load=SecondFactorState.load,
)
app.add_page(
    profile_pages.confirm_email_page,
    route="/confirm-email",
    title=TITLE,
    on_load=[ConfirmEmailState.load, SessionState.refresh],
)

# Customers (every load handler passes the customer guard)
app.add_page(customer.dashboard_page, route="/", title=TITLE, on_load=DashboardState.load)
app.add_page(product_page, route="/services/[product_id]", title=TITLE, on_load=ProductState.load)
app.add_page(customer.services_page, route="/services", title=TITLE, on_load=ServicesState.load)
app.add_page(order_page, route="/order", title=TITLE, on_load=OrderState.load)
app.add_page(customer.invoices_page, route="/invoices", title=TITLE, on_load=InvoicesState.load)
app.add_page(ticket_pages.tickets_page, route="/tickets", title=TITLE, on_load=TicketsState.load)
app.add_page(
    ticket_pages.new_ticket_page, route="/tickets/new", title=TITLE, on_load=NewTicketState.load
)
app.add_page(
    ticket_pages.ticket_page, route="/tickets/[ticket_id]", title=TITLE, on_load=TicketState.load
)
app.add_page(profile_pages.profile_page, route="/profile", title=TITLE, on_load=ProfileState.load)

# Staff: every page of o2portal/web/pages/admin/
register_admin_pages(app)

__all__ = ["app", "t"]
