"""A customer's identity as they (or staff) type it: ONE validator for sign-up, Ma fiche
and the staff edit, so that the same input gets the same answer on all three.

Rules: names and postal address required; phone and postal code checked for the
country; a company or an association needs its name, a French company its SIRET; a VAT
number is optional, and must be of the customer's own country (billing exempts only such
a number from French VAT, so a Belgian number on a French fiche is refused here rather
than silently charged 20 %). A private person has no company name, SIRET or VAT number.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.core.errors import InvalidInput
from o2portal.core.validation import (
    clean_country,
    clean_phone,
    clean_postal_code,
    clean_siret,
    clean_text,
    clean_vat_number,
    collect,
    gathered,
)

IDENTITY_FIELDS = (
    "account_type",
    "first_name",
    "last_name",
    "company_name",
    "siret",
    "vat_number",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
)


@dataclass
class IdentityForm:
    """The identity fields as typed (every key of IDENTITY_FIELDS): sign-up's form and Ma
    fiche's add their own fields to these."""

    account_type: str = "particulier"
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    siret: str = ""
    vat_number: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"


def vat_country(vat_number: str) -> str:
    """The country a (clean) EU VAT number belongs to; Greece writes EL."""
    prefix = vat_number[:2]
    return "GR" if prefix == "EL" else prefix


def check_identity(form: Mapping[str, object]) -> dict:
    """The identity's clean values (every key of IDENTITY_FIELDS), or InvalidInput with a
    message for every bad field at once."""

    def text(name: str) -> str | None:
        value = form.get(name)
        return value if isinstance(value, str) else None

    errors: dict[str, str] = {}
    account_type = text("account_type")
    if account_type not in ACCOUNT_TYPES:
        errors["account_type"] = "error.choice_invalid"
    is_company = account_type in ("entreprise", "association")
    country = gathered(errors, lambda: clean_country(text("country")), "FR")
    company_checks = (
        [
            lambda: clean_text("company_name", text("company_name"), required=True, max_length=200),
            lambda: clean_siret(
                text("siret"), required=account_type == "entreprise" and country == "FR"
            ),
        ]
        if is_company
        else [lambda: None, lambda: None]
    )
    vat = None
    if is_company:
        vat = gathered(errors, lambda: clean_vat_number(text("vat_number")))
        if vat and "country" not in errors and vat_country(vat) != country:
            errors["vat_number"] = "error.vat_country"
    values = gathered(
        errors,
        lambda: collect(
            lambda: clean_text("first_name", text("first_name"), required=True, max_length=100),
            lambda: clean_text("last_name", text("last_name"), required=True, max_length=100),
            *company_checks,
            lambda: clean_phone(text("phone"), country),
            lambda: clean_text(
                "address_line1", text("address_line1"), required=True, max_length=200
            ),
            lambda: clean_text(
                "address_line2", text("address_line2"), required=False, max_length=200
            ),
            lambda: clean_postal_code(text("postal_code"), country),
            lambda: clean_text("city", text("city"), required=True, max_length=100),
        ),
    )
    if errors:
        raise InvalidInput(errors)
    first, last, company, siret, phone, addr1, addr2, postal, city = values
    return {
        "account_type": account_type,
        "first_name": first,
        "last_name": last,
        "company_name": company,
        "siret": siret,
        "vat_number": vat,
        "phone": phone,
        "address_line1": addr1,
        "address_line2": addr2,
        "postal_code": postal,
        "city": city,
        "country": country,
    }


def identity_of(form: IdentityForm, errors: dict[str, str]) -> dict:
    """check_identity of a longer form's identity fields, its bad fields added to `errors`
    (so that the form answers every bad field at once); {} then."""
    return gathered(errors, lambda: check_identity(dataclasses.asdict(form)), {})
