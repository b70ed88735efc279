"""The Reflex app: every registered page, the cookie and file routes, the error handler and
the jobs' timer."""

import asyncio
import logging
import traceback

import reflex as rx
from reflex_base.event import EventSpec

from o2portal.core.errors import NotAllowed
from o2portal.core.i18n import translate
from o2portal.jobs.runner import run_all
from o2portal.web import customer, staff
from o2portal.web.components.i18n import t
from o2portal.web.components.layout import customer_shell_wraps
from o2portal.web.cpu import pin_worker, tune_collector
from o2portal.web.doors import BadEvent, at_the_socket
from o2portal.web.guards import (
    SECOND_FACTOR_SETUP,
    AuthRequired,
    Forbidden,
    SecondFactorRequired,
    login_url,
)
from o2portal.web.pages import (
    customer_shell,
    import_pages,
    registered_pages,
    visitor_or_customer_layout,
)
from o2portal.web.routes import build_routes, limit_uploads, security_headers

log = logging.getLogger("o2portal")
JOBS_INTERVAL_SECONDS = 60


def _crafted(exception: Exception) -> bool:
    """Refused at the door (web/doors.py), or Reflex's own `setvar` called for a var that
    has no setter: the pages never send it (they call handlers by name)."""
    if isinstance(exception, BadEvent):
        return True
    frames = traceback.extract_tb(exception.__traceback__)
    return isinstance(exception, AttributeError) and any(
        f.name == "setvar" and f.filename.endswith(("reflex/state.py", "reflex\\state.py"))
        for f in frames
    )


def handle_backend_error(exception: Exception) -> EventSpec | None:
    """Guards raise; this turns their refusals into a redirect or a message."""
    if isinstance(exception, AuthRequired):
        return rx.redirect(login_url(exception.next_path))
    if isinstance(exception, SecondFactorRequired):
        return rx.redirect(SECOND_FACTOR_SETUP)
    if isinstance(exception, Forbidden):
        return rx.toast.error(translate("denied.title"), id="forbidden")
    if isinstance(exception, NotAllowed):
        # A door refused an object that is not the caller's (a product a contact no longer
        # looks after, a forged id): a refusal, in one line, not a failure.
        log.warning("refused: %s", str(exception)[:300])
        return rx.toast.error(translate("denied.title"), id="forbidden")
    if _crafted(exception):
        # A frame no page sends: one line, no traceback.
        log.warning("event refused: %s", str(exception)[:300])
        return None
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
    api_transformer=[build_routes(), limit_uploads, security_headers],
    backend_exception_handler=handle_backend_error,
    html_lang="fr",
)
at_the_socket(app.event_namespace)  # the pages' live loops are never sent by name
app.register_lifespan_task(pin_worker)
app.register_lifespan_task(tune_collector)
app.register_lifespan_task(run_jobs_periodically)

# Every page of o2portal/web/customer and o2portal/web/staff, as its decorator declared it
# (o2portal/web/pages.py): route, title, layout, loaders.
import_pages(customer, staff)
for page in registered_pages():
    app.add_page(page.render, route=page.route, title=page.title, on_load=list(page.on_load))
# The customer's header and side bar stay on screen from one of their pages to the next.
app.app_wraps.update(
    customer_shell_wraps(
        [p.route for p in registered_pages() if p.layout is customer_shell],
        [p.route for p in registered_pages() if p.layout is visitor_or_customer_layout],
        [p.route for p in registered_pages()],
    )
)

__all__ = ["app", "t"]
