"""The texts of every mail, as template files per language, and their renderer.

Files
    ``templates/<language>/<kind>.txt`` is one mail: its first line is the subject, the
    second line is blank, and everything after it is the body, kept as written.
    ``templates/<language>/parts/<name>.txt`` is a piece of text (no subject) that the
    code picks and inserts into a mail as a value: one of several variants (how to pay
    by transfer or by cheque, the auto-renewal paragraph or the manual one...) or a
    repeated line (one line per product ordered). The choice is made in Python; the
    templates hold no logic. A part's final line break is not part of its text.

Placeholders
    ``${name}`` (Python's ``string.Template``); ``$$`` is a literal dollar sign. Each
    kind and each part declares the values it takes (KINDS and PARTS below): a template
    may use any of them, in any order, or leave some out, but no other name; and every
    caller gives exactly the declared values. Anything else is refused with a
    TemplateError that names the file and the placeholder. Every template may also use
    ``${portal_url}`` (the portal's address, without a final slash) and
    ``${support_email}``, which come from the settings.

    string.Template rather than Jinja2: staff will edit these files through a web page,
    and substitution is all a mail needs. It runs nothing, reads no attribute, has no
    loops or conditions to go wrong and no sandbox to escape; its placeholders are
    listed with ``get_identifiers()``, so an editor can refuse an unknown one.

Paragraphs
    A paragraph of the body (lines between blank lines) that holds placeholders and
    comes out blank is left out with its blank line, so an optional block (the
    attachments line, "we await your answer") is a value that is either a part or "".

Values
    Text as it is; int in digits; ``Amount(cents)`` and dates in the mail's language
    (Babel: "230,40 €" / "€230.40"); ``Part(name, **values)`` rendered in the mail's
    language; a list or tuple of those, one per line. Anything else (None included) is
    refused. So callers never need to know the language: the renderer chooses it once.

Languages
    "fr" and "en". Any other language, or a kind whose file is missing in the language
    asked for, falls back to French.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from o2portal.core.formatting import day, money
from o2portal.core.settings import get_settings

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# Given to every template by the renderer; callers may not pass them.
COMMON = frozenset({"portal_url", "support_email"})

_REMINDER = (
    "first_name",
    "product_name",
    "product",
    "expiry",
    "days",
    "price",
    "plan",
    "renew_link",
)
_PRODUCT_CHANGE = ("first_name", "product_name")

# Every mail kind and the values it takes. The outbox kind of a mail is the same name,
# except where one outbox kind has several texts (noted).
KINDS: dict[str, tuple[str, ...]] = {
    # accounts
    "welcome": ("first_name", "email", "verify_link"),
    "account_opened": ("first_name", "email", "set_password_link", "hours"),  # by staff
    "staff_account_opened": ("first_name", "email", "set_password_link", "hours"),
    "staff_second_factor_reset": ("first_name",),  # by an admin, on /admin/staff
    "signup_existing": ("first_name",),  # a sign-up tried with an address that has an account
    "verify_email": ("first_name", "verify_link"),
    "password_reset": ("first_name", "reset_link", "minutes"),
    "password_changed": ("first_name",),  # after a reset link
    "password_changed_profile": ("first_name",),  # outbox kind password_changed
    "email_change": ("first_name", "new_email", "confirm_link", "hours"),
    "email_change_notice": ("first_name", "new_email"),
    "email_changed": ("first_name", "new_email"),
    # another account asked for this address (the owner's, which it keeps)
    "email_change_existing": ("first_name",),
    "totp_enabled": ("first_name",),
    "totp_disabled": ("first_name",),
    "recovery_code_used": ("first_name", "left"),
    "account_deleted": ("first_name",),
    # billing
    "invoice": ("first_name", "number", "total"),
    "order_form": ("first_name", "reference", "total", "how_to_pay"),
    "order_confirmation": ("first_name", "reference", "invoice_number", "total", "products"),
    "order_cancelled": ("first_name", "reference", "total", "days"),
    "auto_renew_order": ("first_name", "product_name", "reference", "total", "charge_day"),
    "auto_renew_failed": ("first_name", "product_name", "reference", "reason", "renew_link"),
    # products: expiry reminders (outbox kind reminder), one text per moment
    "reminder_days": _REMINDER,  # two days or more before
    "reminder_one_day": _REMINDER,  # the day before
    "reminder_today": _REMINDER,
    "reminder_past": _REMINDER,  # after the day
    # products: status changes (outbox kind product_<status>)
    "product_suspended": _PRODUCT_CHANGE,
    "product_terminated": _PRODUCT_CHANGE,
    "product_expired": _PRODUCT_CHANGE,
    "product_released": _PRODUCT_CHANGE,
    "certificate_expired": _PRODUCT_CHANGE,
    "certificate_terminated": _PRODUCT_CHANGE,
    # products: terminated by staff (outbox kind product_terminated, certificate_terminated
    # for a certificate), one text per kind of product
    "staff_terminated_hosting": _PRODUCT_CHANGE,
    "staff_terminated_domain": _PRODUCT_CHANGE,
    "staff_terminated_server": _PRODUCT_CHANGE,
    "staff_terminated_certificate": _PRODUCT_CHANGE,
    # products: SSL certificates whose records the customer creates elsewhere, issued by
    # the periodic check, or given up after its days
    "certificate_issued": ("first_name", "product_name", "product_link"),
    "certificate_checks_stopped": ("first_name", "product_name", "days", "records", "product_link"),
    # products: change of holder (products/trades.py; outbox kind trade_accepted for
    # trade_given, to the old holder, and trade_received, to the new one)
    "trade_offered": ("first_name", "product_name", "from_name", "expires", "trades_link"),
    "trade_given": ("first_name", "product_name", "other_name"),
    "trade_received": ("first_name", "product_name", "other_name", "product_link"),
    "trade_refused": _PRODUCT_CHANGE,
    "trade_cancelled": _PRODUCT_CHANGE,
    "trade_expired": _PRODUCT_CHANGE,
    # support
    "ticket_new": (  # to the support address, in French
        "ticket_id",
        "ticket_subject",
        "department",
        "priority",
        "customer_name",
        "customer_email",
        "message",
        "attachments",
        "admin_link",
    ),
    "ticket_reply": (
        "first_name",
        "ticket_id",
        "ticket_subject",
        "message",
        "attachments",
        "awaiting",
        "ticket_link",
    ),
    "ticket_closed": ("first_name", "ticket_id", "ticket_subject", "ticket_link"),
    "ticket_opened_for_you": (  # staff opened a ticket for the customer
        "first_name",
        "ticket_id",
        "ticket_subject",
        "message",
        "attachments",
        "ticket_link",
    ),
    "ticket_escalated": (  # to each admin, in their language
        "first_name",
        "ticket_id",
        "ticket_subject",
        "department",
        "priority",
        "waited",
        "admin_link",
    ),
    # products: technical and administrative contacts
    "contact_invited": ("first_name", "holder_name", "product_name", "role", "contacts_link"),
    "contact_action": ("first_name", "contact_name", "product_name", "action", "contacts_link"),
    "contact_revoked": ("first_name", "holder_name", "product_name"),
    # billing: orders proposed to a client by a contact (billing/client_orders.py)
    "client_order_proposed": (
        "first_name",
        "contact_name",
        "summary",
        "total",
        "expires",
        "contacts_link",
    ),
    "client_order_news": ("first_name", "summary", "news", "detail", "contacts_link"),
    # jobs: to the support address, in French
    "job_failing": ("job", "failures", "since", "error", "admin_link"),
}

# Every part and the values it takes.
PARTS: dict[str, tuple[str, ...]] = {
    "order_form_transfer": ("reference", "holder", "iban", "bic", "bank"),
    "order_form_cheque": ("reference", "payee", "address"),
    "order_confirmation_line": ("name", "until"),
    "certificate_record": ("record_name", "value"),
    "reminder_hosting": ("name",),
    "reminder_domain": ("name",),
    "reminder_server": ("name",),
    "reminder_certificate": ("name",),
    "reminder_service": ("name",),
    "reminder_plan_auto": (),
    "reminder_plan_manual": (),
    "reminder_plan_later": ("opens", "days"),  # a certificate before its renewal window
    "auto_renew_no_means": (),
    "auto_renew_impossible": ("error",),
    "auto_renew_declined": (),
    "auto_renew_unavailable": (),
    "attachments": ("files",),
    "ticket_awaiting": (),
}


class TemplateError(ValueError):
    """A template or the values given to it are wrong; the message says which and why."""


@dataclass(frozen=True)
class Amount:
    """Integer cents, written in the mail's language."""

    cents: int


@dataclass(frozen=True, init=False)
class Part:
    """A part (templates/<language>/parts/<name>.txt) rendered in the mail's language."""

    name: str
    values: dict = field(compare=False)

    def __init__(self, name: str, /, **values):  # a part may take a value called name
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "values", values)


def mail_language(language: str | None) -> str:
    """The language a mail is written in: the one asked for if there are texts in it."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def link(path: str) -> str:
    """An address in the portal, for a link value ("/verify-email?token=...")."""
    return get_settings().base_url.rstrip("/") + path


def kinds() -> list[str]:
    return sorted(KINDS)


def variables(name: str, *, part: bool = False) -> frozenset[str]:
    """The placeholders a template of this kind (or part) may use."""
    declared = _declared(name, part)
    return frozenset(declared) | COMMON


def placeholders(
    name: str, language: str = DEFAULT_LANGUAGE, *, part: bool = False
) -> frozenset[str]:
    """The placeholders the template file of this kind (or part) uses, as a frozenset."""
    return _parsed(mail_language(language), name, part).names


def check(name: str, text: str, *, part: bool = False) -> frozenset[str]:
    """Refuse (TemplateError) a text for this kind or part that is not a well-formed
    template of it; return the placeholders it uses. For the files and for an editor."""
    return _parse(f"{'part' if part else 'mail'} {name}", text, name, part).names


def render(
    kind: str, language: str | None, override: tuple[str, str] | None = None, /, **values
) -> tuple[str, str]:
    """(subject, body) of the mail `kind` in `language` (French if there is no such).

    `override`: staff's (subject, body) for this kind and language (MailTemplate), used
    instead of the file. One that no longer parses (the kind's values changed since it
    was saved) is logged and the file's text goes instead: the mail is not lost."""
    lang = mail_language(language)
    _check_values(kind, values, part=False)
    template = None
    if override is not None:
        try:
            template = _parse(f"{lang}/{kind} (edited)", compose(*override), kind, False)
        except TemplateError:
            log.warning("edited template %s/%s refused; the file's text is used", lang, kind)
    template = template or _parsed(lang, kind, False)
    mapping = _mapping(values, lang)
    return _substitute(template.subject, mapping), _body(template.paragraphs, mapping)


def render_typed(subject: str, body: str, language: str | None, /, **values) -> tuple[str, str]:
    """(subject, body) of a text staff typed (a mass mail): it may use the names of
    `values` and the common ones; `problems` has refused anything else before."""
    lang = mail_language(language)
    allowed = frozenset(values) | COMMON
    template = _parse("typed mail", compose(subject, body), "", False, allowed=allowed)
    mapping = _mapping(values, lang)
    return _substitute(template.subject, mapping), _body(template.paragraphs, mapping)


def default_text(kind: str, language: str | None) -> tuple[str, str]:
    """(subject, body) of the kind's file in that language (French if there is none), as
    written: what an edit starts from and what a reset goes back to."""
    _lang, path = _file(kind, mail_language(language), False)
    first, _, rest = path.read_text(encoding="utf-8").replace("\r\n", "\n").partition("\n")
    return first, rest.partition("\n")[2]


def compose(subject: str, body: str) -> str:
    """A subject and a body as one template text (the files' layout)."""
    return f"{subject}\n\n{body}"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a typed subject or body, for the message by that field.

    code: "required", "one_line" (a subject of several lines), "too_long", "dollar"
    (a $ that is not a placeholder), "unknown" (placeholders not allowed, in `names`)."""

    field: str
    code: str
    names: tuple[str, ...] = ()


SUBJECT_MAX = 300
BODY_MAX = 20000


def problems(allowed: frozenset[str], subject: str, body: str) -> list[Problem]:
    """Every problem of a typed subject and body whose placeholders may be `allowed`
    (and the common ones); an empty list: they render."""
    found: list[Problem] = []
    allowed = allowed | COMMON
    for field_name, text, limit in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        if not text.strip():
            found.append(Problem(field_name, "required"))
            continue
        if field_name == "subject" and "\n" in text.strip():
            found.append(Problem(field_name, "one_line"))
            continue
        if len(text) > limit:
            found.append(Problem(field_name, "too_long"))
            continue
        template = string.Template(text)
        if not template.is_valid():
            found.append(Problem(field_name, "dollar"))
            continue
        unknown = tuple(sorted(set(template.get_identifiers()) - allowed))
        if unknown:
            found.append(Problem(field_name, "unknown", unknown))
    return found


def render_part(name: str, language: str | None, /, **values) -> str:
    lang = mail_language(language)
    _check_values(name, values, part=True)
    return _body(_parsed(lang, name, True).paragraphs, _mapping(values, lang))


# --------------------------------------------------------------------------- inside


@dataclass(frozen=True)
class _Template:
    subject: string.Template | None
    paragraphs: tuple[string.Template, ...]
    names: frozenset[str]


def _declared(name: str, part: bool) -> tuple[str, ...]:
    table = PARTS if part else KINDS
    if name not in table:
        raise TemplateError(f"unknown mail {'part' if part else 'kind'} {name!r}")
    return table[name]


def _check_values(name: str, values: dict, *, part: bool) -> None:
    declared = set(_declared(name, part))
    what = f"{'part' if part else 'mail'} {name}"
    reserved = sorted(COMMON & values.keys())
    if reserved:
        raise TemplateError(f"{what}: {', '.join(reserved)} come from the settings")
    missing = sorted(declared - values.keys())
    if missing:
        raise TemplateError(f"{what}: no value given for {', '.join(missing)}")
    unknown = sorted(values.keys() - declared)
    if unknown:
        raise TemplateError(
            f"{what}: unknown value {', '.join(unknown)} (it takes {', '.join(sorted(declared))})"
        )


def _file(name: str, lang: str, part: bool):
    """(language, file) of the template, French when the language has none."""
    _declared(name, part)
    for candidate in dict.fromkeys((lang, DEFAULT_LANGUAGE)):
        path = resources.files(__package__) / "templates" / candidate
        path = (path / "parts" if part else path) / f"{name}.txt"
        if path.is_file():
            return candidate, path
    raise TemplateError(f"no template file for {'part' if part else 'mail'} {name!r}")


@cache
def _parsed(lang: str, name: str, part: bool) -> _Template:
    """The template file, read and checked once per process."""
    lang, path = _file(name, lang, part)
    where = f"{lang}/{'parts/' if part else ''}{name}.txt"
    return _parse(where, path.read_text(encoding="utf-8"), name, part)


def _parse(
    where: str, text: str, name: str, part: bool, allowed: frozenset[str] | None = None
) -> _Template:
    text = text.replace("\r\n", "\n")
    if part:
        subject, body = None, text.removesuffix("\n")
    else:
        first, sep, rest = text.partition("\n")
        second, _, body = rest.partition("\n")
        if not first.strip() or not sep or second.strip():
            raise TemplateError(
                f"{where}: the first line must be the subject and the second line blank"
            )
        subject = _template(where, first)
    paragraphs = tuple(_template(where, chunk) for chunk in body.split("\n\n"))
    names: set[str] = set()
    for template in (subject, *paragraphs):
        if template is not None:
            names.update(template.get_identifiers())
    allowed = variables(name, part=part) if allowed is None else allowed
    unknown = sorted(names - allowed)
    if unknown:
        raise TemplateError(
            f"{where}: unknown placeholder {', '.join('${' + n + '}' for n in unknown)} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    return _Template(subject, paragraphs, frozenset(names))


def _template(where: str, text: str) -> string.Template:
    template = string.Template(text)
    if not template.is_valid():
        raise TemplateError(
            f"{where}: a $ that is not a placeholder ${{name}} (write $$ for a dollar sign)"
        )
    return template


def _substitute(template: string.Template, mapping: dict[str, str]) -> str:
    try:
        return template.substitute(mapping)
    except KeyError as exc:  # the file names a value the caller did not declare
        raise TemplateError(f"no value for placeholder ${{{exc.args[0]}}}") from None


def _body(paragraphs: tuple[string.Template, ...], mapping: dict[str, str]) -> str:
    kept = []
    for template in paragraphs:
        text = _substitute(template, mapping)
        if text.strip() or not template.get_identifiers():
            kept.append(text)
    return "\n\n".join(kept)


def _mapping(values: dict, lang: str) -> dict[str, str]:
    mapping = {"portal_url": link(""), "support_email": get_settings().support_email}
    mapping.update({key: _text(key, value, lang) for key, value in values.items()})
    return mapping


def _text(key: str, value, lang: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TemplateError(f"value {key}: a yes/no is no text; choose a part in the code")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Amount):
        return money(value.cents, lang)
    if isinstance(value, date):  # datetime included: the day in Paris
        return day(value, lang)
    if isinstance(value, Part):
        return render_part(value.name, lang, **value.values)
    if isinstance(value, list | tuple):
        return "\n".join(_text(key, item, lang) for item in value)
    raise TemplateError(f"value {key}: cannot write a {type(value).__name__} in a mail")
