"""Checks of what people type, with libraries made for it. Each returns the clean value
or raises InvalidInput keyed by the field's name."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import bic, iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siret as fr_siret

from o2portal.core.errors import InvalidInput

# bcrypt only reads the first 72 bytes: longer passwords are refused at the form.
MAX_PASSWORD_BYTES = 72
MIN_PASSWORD_LENGTH = 10

# Countries offered in forms: the EU plus the usual neighbours of a French host's customers.
COUNTRIES = {
    "FR": "France",
    "BE": "Belgique",
    "CH": "Suisse",
    "LU": "Luxembourg",
    "MC": "Monaco",
    "CA": "Canada",
    "DE": "Allemagne",
    "ES": "Espagne",
    "IT": "Italie",
    "NL": "Pays-Bas",
    "PT": "Portugal",
    "IE": "Irlande",
    "AT": "Autriche",
    "GB": "Royaume-Uni",
    "US": "États-Unis",
    "MA": "Maroc",
    "TN": "Tunisie",
    "SN": "Sénégal",
}
# Control, format (bidi overrides, zero-width) and line/paragraph separators: invisible
# or spoofing characters have no place in a name or an address.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})


# Bidi embeddings, overrides and isolates: they reorder what follows them, so that
# "rapport<U+202E>fdp.php" shows as "rapportphp.pdf". Taken out of every message body (the
# other invisible characters stay there: a zero-width joiner binds an emoji sequence).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def without_controls(text: str) -> str:
    """`text` without control, format and separator characters (NUL, bidi overrides,
    zero-width marks): for what is only looked up, never shown or kept as typed."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _REFUSED_CATEGORIES)


def required_text(value: str | None, field: str, max_length: int) -> str:
    """The value without its surrounding spaces; refused when empty or too long."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: "error.required"})
    if len(text) > max_length:
        raise InvalidInput({field: "error.too_long"})
    return text


def clean_text(field: str, value: str | None, *, required: bool, max_length: int) -> str | None:
    if not required and not (value or "").strip():
        return None
    text = required_text(value, field, max_length)
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in text):
        raise InvalidInput({field: "error.bad_characters"})
    return text


def clean_email(value: str | None, field: str = "email") -> str:
    text = required_text(value, field, 254)
    try:
        # No DNS look-up: it would make sign-up depend on the network.
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput({field: "error.email_invalid"}) from None
    return info.normalized.lower()


def clean_phone(value: str | None, country: str, field: str = "phone") -> str:
    text = required_text(value, field, 30)
    try:
        number = phonenumbers.parse(text, country or "FR")
    except phonenumbers.NumberParseException:
        raise InvalidInput({field: "error.phone_invalid"}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput({field: "error.phone_invalid"})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def clean_country(value: str | None, field: str = "country") -> str:
    code = (value or "").strip().upper()
    if code not in COUNTRIES:
        raise InvalidInput({field: "error.country_invalid"})
    return code


def clean_postal_code(value: str | None, country: str, field: str = "postal_code") -> str:
    text = (value or "").strip().upper()
    if not text:
        raise InvalidInput({field: "error.required"})
    if country in ("FR", "MC"):
        if not re.fullmatch(r"\d{5}", text) or text.startswith("00"):
            raise InvalidInput({field: "error.postal_code_fr"})
    elif not re.fullmatch(r"[A-Z0-9][A-Z0-9 -]{1,9}", text):
        raise InvalidInput({field: "error.postal_code_invalid"})
    return text


def clean_siret(value: str | None, *, required: bool, field: str = "siret") -> str | None:
    text = re.sub(r"[\s.]", "", value or "")
    if not text:
        if required:
            raise InvalidInput({field: "error.required"})
        return None
    if not fr_siret.is_valid(text):
        raise InvalidInput({field: "error.siret_invalid"})
    return fr_siret.compact(text)


def clean_iban(value: str | None, field: str = "iban") -> str:
    """An IBAN (check digits and the country's length), kept compact: FR76300060…"""
    text = re.sub(r"[\s.-]", "", value or "").upper()
    if not text:
        raise InvalidInput({field: "error.required"})
    if not iban.is_valid(text):
        raise InvalidInput({field: "error.iban_invalid"})
    return iban.compact(text)


def clean_bic(value: str | None, field: str = "bic") -> str:
    text = re.sub(r"\s", "", value or "").upper()
    if not text:
        raise InvalidInput({field: "error.required"})
    if not bic.is_valid(text):
        raise InvalidInput({field: "error.bic_invalid"})
    return bic.compact(text)


def clean_vat_number(value: str | None, field: str = "vat_number") -> str | None:
    text = re.sub(r"[\s.-]", "", value or "").upper()
    if not text:
        return None
    if not eu_vat.is_valid(text):
        raise InvalidInput({field: "error.vat_invalid"})
    return eu_vat.compact(text)


def clean_new_password(password: str | None, confirm: str | None) -> str:
    password = password or ""
    if not password:
        raise InvalidInput({"password": "error.required"})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput({"password": "error.password_short"})
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise InvalidInput({"password": "error.password_long"})
    if password != (confirm or ""):
        raise InvalidInput({"password_confirm": "error.password_mismatch"})
    return password


def gathered(errors: dict[str, str], check, default=None):
    """check() (a zero-argument callable); or `default`, with its field errors added to
    `errors`: a form checked in several steps answers every bad field at once."""
    try:
        return check()
    except InvalidInput as exc:
        errors.update(exc.errors)
        return default


def collect(*checks) -> dict:
    """Run every check (a zero-argument callable) and gather all field errors at once."""
    errors: dict[str, str] = {}
    results = [gathered(errors, check) for check in checks]
    if errors:
        raise InvalidInput(errors)
    return results
