"""Small pieces shared by event handlers: form values as short text, errors in the
visitor's language, mail sent without making anyone wait."""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import reflex as rx

from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.integrations.ca import MAX_DAYS
from o2portal.mail import outbox as mailer
from o2portal.products.expiry import CERTIFICATE_RENEW_DAYS
from o2portal.web import cpu
from o2portal.web.session import language_of


def form_text(form: dict, name: str, limit: int = 1000) -> str:
    """A form value as text, cut to a sane length before any check looks at it."""
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def form_checked(form: dict, name: str) -> bool:
    return form.get(name) in ("on", "true", True, "1")


# bcrypt at cost 12 takes a quarter of a second of a core, on purpose. Work that checks or
# sets a password runs in this pool of its own, one at a time: a burst of sign-ins waits
# among itself and never takes the threads (nor the cores) the other handlers need.
PASSWORD_WORKERS = 1
log = logging.getLogger("o2portal.web")
_PASSWORD_POOL = ThreadPoolExecutor(PASSWORD_WORKERS, thread_name_prefix="o2-passwords")


def _off_the_workers_cpu(fn, *args, **kwargs):
    cpu.free_this_thread()  # bcrypt away from the event loop's CPU (web/cpu.py)
    return fn(*args, **kwargs)


async def with_password(fn, *args, **kwargs):
    """fn(*args, **kwargs), which checks or hashes a password, off the event loop in the
    passwords' own pool, on any CPU the worker was given, not only the one it keeps to."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        _PASSWORD_POOL, functools.partial(_off_the_workers_cpu, fn, *args, **kwargs)
    )


# One delivery at a time, whoever asks (an async handler on the loop, or a plain one in
# its worker thread: web/doors.py).
_MAIL_POOL = ThreadPoolExecutor(1, thread_name_prefix="o2-mail")


def given_id(value: object) -> int:
    """An id (or a small whole number) as a page sent it: ASCII digits, twelve at most;
    anything else is 0, which names no row. Not str.isdigit() alone: it takes "²" (that
    int() refuses) and twenty digits (that the database driver refuses)."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if isinstance(value, bool) or not (text.isascii() and text.isdigit() and len(text) <= 12):
        return 0
    return int(text)


def send_mail_soon() -> None:
    """Deliver the outbox in a worker thread without making the person wait."""
    _MAIL_POOL.submit(mailer.deliver_pending).add_done_callback(_log_failure)


def _log_failure(done) -> None:
    if done.exception() is not None:
        log.error("mail delivery failed", exc_info=done.exception())


def start_busy(state: rx.State, **cleared) -> bool:
    """Start a slow action: False while one is already running (a second click); else the
    state is busy, with the `cleared` fields set to their empty values."""
    if state.busy:
        return False
    for name, value in cleared.items():
        setattr(state, name, value)
    state.busy = True
    return True


def document_row(doc, lang: str, **more: str) -> dict[str, str]:
    """An invoice or a credit note as a row: its id, number, issue date and amount TTC,
    then `more`."""
    return {
        "id": str(doc.id),
        "number": doc.number,
        "date": formatting.day(doc.issued_at, lang),
        "amount": formatting.money(doc.total_ttc_cents, lang),
        **more,
    }


def refusal(key: str, lang: str) -> str:
    """A refusal's message key in words. "renew.too_early|2027-05-12" names the day a
    certificate's renewal opens, written in the reader's language; "ssl.not_seen|x.fr"
    and the like name what they are about."""
    base, _, arg = key.partition("|")
    if base == "renew.too_early" and arg:
        opens = formatting.day(date.fromisoformat(arg), lang)
        return translate(base, lang, date=opens, days=CERTIFICATE_RENEW_DAYS, max=MAX_DAYS)
    return translate(base, lang, name=arg) if arg else translate(base, lang)


async def translated(state: rx.State, errors: dict[str, str]) -> dict[str, str]:
    """Field errors (i18n keys) in the visitor's language."""
    lang = await language_of(state)
    return {field: translate(key, lang) for field, key in errors.items()}


async def said(state: rx.State, key: str, **values) -> str:
    """The message `key` (with its `values`) in the visitor's language."""
    return translate(key, await language_of(state), **values)
