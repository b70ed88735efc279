"""One validator of a customer's identity: the same input typed at sign-up, on Ma fiche
and by staff on the customer's file gets the same answer (accepted, or the same message
on the same fields), and nothing is saved when it is refused."""

from __future__ import annotations

import uuid

import pytest

from o2portal.accounts import profile, signup, staff_accounts
from o2portal.accounts import staff as staff_door
from o2portal.accounts.identity import IDENTITY_FIELDS
from o2portal.core.errors import InvalidInput
from tests.unit.helpers import PASSWORD, actor, get_customer, make_customer

PERSON = {
    "account_type": "particulier",
    "first_name": "Jeanne",
    "last_name": "Martin",
    "company_name": "",
    "siret": "",
    "vat_number": "",
    "phone": "06 12 34 56 78",
    "address_line1": "3 place du Capitole",
    "address_line2": "",
    "postal_code": "31000",
    "city": "Toulouse",
    "country": "FR",
}
COMPANY_FR = {
    **PERSON,
    "account_type": "entreprise",
    "company_name": "Atelier Martin SARL",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
}
COMPANY_BE = {
    **PERSON,
    "account_type": "entreprise",
    "company_name": "Brasserie du Parc SRL",
    "vat_number": "BE0403019261",
    "phone": "+32 2 555 12 12",
    "address_line1": "Rue Neuve 12",
    "postal_code": "1000",
    "city": "Bruxelles",
    "country": "BE",
}

# (what is typed, the fields refused and their message; {} means accepted)
CASES = [
    ("a private person in France", PERSON, {}),
    ("a French company with SIRET and French VAT number", COMPANY_FR, {}),
    ("a Belgian company with a Belgian VAT number", COMPANY_BE, {}),
    (
        "a French company with a Belgian VAT number",
        {**COMPANY_FR, "vat_number": "BE0403019261"},
        {"vat_number": "error.vat_country"},
    ),
    (
        "a Belgian company with a French VAT number",
        {**COMPANY_BE, "vat_number": "FR44732829320"},
        {"vat_number": "error.vat_country"},
    ),
    ("a French company without SIRET", {**COMPANY_FR, "siret": ""}, {"siret": "error.required"}),
    (
        "a company without its name",
        {**COMPANY_FR, "company_name": "  "},
        {"company_name": "error.required"},
    ),
    (
        "an association without its name",
        {**PERSON, "account_type": "association"},
        {"company_name": "error.required"},
    ),
    ("an unknown account type", {**PERSON, "account_type": "pirate"}, {"account_type": None}),
    ("no first name", {**PERSON, "first_name": ""}, {"first_name": "error.required"}),
    ("a postal code of another shape", {**PERSON, "postal_code": "3100"}, {"postal_code": None}),
    ("a phone number that is not one", {**PERSON, "phone": "12"}, {"phone": None}),
    ("a country nobody lives in", {**PERSON, "country": "XX"}, {"country": None}),
    (
        "an invalid VAT number",
        {**COMPANY_FR, "vat_number": "FR00000000000"},
        {"vat_number": None},
    ),
    (
        "several mistakes at once",
        {**COMPANY_FR, "siret": "", "city": "", "vat_number": "BE0403019261"},
        {"siret": "error.required", "city": "error.required", "vat_number": "error.vat_country"},
    ),
]


def _identity_errors(call) -> dict[str, str]:
    try:
        call()
    except InvalidInput as exc:
        return {k: v for k, v in exc.errors.items() if k in IDENTITY_FIELDS}
    return {}


def _signup(identity: dict) -> dict[str, str]:
    email = f"signup.{uuid.uuid4().hex[:8]}@exemple.fr"
    form = signup.SignupForm(
        **identity,
        email=email,
        password=PASSWORD,
        password_confirm=PASSWORD,
        accept_terms=True,
    )
    return _identity_errors(lambda: signup.sign_up(form))


def _fiche(customer_id: int, identity: dict) -> dict[str, str]:
    form = profile.DetailsForm(**identity, language="fr")
    return _identity_errors(lambda: profile.update_details(customer_id, form))


def _staff(admin_id: int, customer_id: int, identity: dict) -> dict[str, str]:
    email = get_customer(customer_id).email
    return _identity_errors(
        lambda: staff_door.update_customer(
            actor(admin_id), customer_id, {**identity, "email": email}
        )
    )


@pytest.mark.parametrize(("case", "typed", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sign_up_ma_fiche_and_staff_give_the_same_answer(db, case, typed, expected):
    admin = staff_accounts.create_staff_account(
        "admin.identity@o2portal.example", PASSWORD, first_name="Ada", last_name="Admin"
    )
    fiche_owner = make_customer(email="fiche.identity@exemple.fr")
    staff_owner = make_customer(email="staff.identity@exemple.fr")
    before = {
        "fiche": get_customer(fiche_owner.id).model_dump(),
        "staff": get_customer(staff_owner.id).model_dump(),
    }

    answers = {
        "sign-up": _signup(typed),
        "Ma fiche": _fiche(fiche_owner.id, typed),
        "staff": _staff(admin.id, staff_owner.id, typed),
    }

    assert answers["sign-up"] == answers["Ma fiche"] == answers["staff"], answers
    got = answers["sign-up"]
    assert set(got) == set(expected), got
    for field, message in expected.items():
        if message is not None:
            assert got[field] == message
    if expected:
        # Refused: nothing of it was saved anywhere.
        assert get_customer(fiche_owner.id).model_dump() == before["fiche"]
        assert get_customer(staff_owner.id).model_dump() == before["staff"]
    else:
        saved = [get_customer(fiche_owner.id), get_customer(staff_owner.id)]
        for customer in saved:
            assert customer.account_type == typed["account_type"]
            assert customer.country == typed["country"]
        assert [c.vat_number for c in saved][0] == saved[1].vat_number


def test_a_private_person_keeps_no_company_fields_on_any_path(db):
    admin = staff_accounts.create_staff_account(
        "admin.fields@o2portal.example", PASSWORD, first_name="Ada", last_name="Admin"
    )
    typed = {**PERSON, "company_name": "Pas une société", "siret": "73282932000074"}
    email = f"perso.{uuid.uuid4().hex[:8]}@exemple.fr"
    signed_up = signup.sign_up(
        signup.SignupForm(
            **typed, email=email, password=PASSWORD, password_confirm=PASSWORD, accept_terms=True
        )
    )
    fiche = make_customer(email="perso.fiche@exemple.fr")
    profile.update_details(fiche.id, profile.DetailsForm(**typed, language="fr"))
    edited = make_customer(email="perso.staff@exemple.fr")
    staff_door.update_customer(actor(admin.id), edited.id, {**typed, "email": edited.email})
    for customer_id in (signed_up.id, fiche.id, edited.id):
        saved = get_customer(customer_id)
        assert (saved.company_name, saved.siret, saved.vat_number) == (None, None, None)
