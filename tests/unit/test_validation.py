"""What people type: every checker returns a clean value or an InvalidInput by field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o2portal.core.errors import InvalidInput
from o2portal.core.validation import (
    clean_email,
    clean_new_password,
    clean_phone,
    clean_postal_code,
    clean_siret,
    clean_text,
    clean_vat_number,
    collect,
)


def errors_of(check, *args, **kwargs) -> dict:
    with pytest.raises(InvalidInput) as exc:
        check(*args, **kwargs)
    return exc.value.errors


# ---------------------------------------------------------------- email


def test_clean_email_normalizes_case_and_spaces():
    assert clean_email("  Jean.Dupont@Example.COM ") == "jean.dupont@example.com"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("bad@", "error.email_invalid"),
        ("a b@c.fr", "error.email_invalid"),
        ("jean.dupont.example.com", "error.email_invalid"),
        ("", "error.required"),
        ("   ", "error.required"),
        (None, "error.required"),
    ],
)
def test_clean_email_refuses(value, error):
    assert errors_of(clean_email, value) == {"email": error}


def _address_of_length(n: int) -> str:
    # Well-formed in every other respect: a 64-char local part and 63-char labels.
    domain = "b" * 63 + "." + "c" * 63 + "." + "d" * (n - 64 - 1 - 63 - 1 - 63 - 1 - 3) + ".fr"
    address = "a" * 64 + "@" + domain
    assert len(address) == n
    return address


def test_clean_email_length_limit():
    assert clean_email(_address_of_length(254)) == _address_of_length(254)
    assert errors_of(clean_email, _address_of_length(255)) == {"email": "error.too_long"}
    assert errors_of(clean_email, "a" * 300 + "@c.fr") == {"email": "error.too_long"}


def test_clean_email_uses_the_field_name():
    assert errors_of(clean_email, "bad@", field="new_email") == {"new_email": "error.email_invalid"}


# ---------------------------------------------------------------- phone


def test_clean_phone_french_mobile_to_e164():
    assert clean_phone("06 12 34 56 78", "FR") == "+33612345678"
    assert clean_phone("+33 6 12 34 56 78", "FR") == "+33612345678"


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("123", "FR"),
        ("abcdefghij", "FR"),
        ("06 AB CD EF GH", "FR"),
        # A Brussels number typed without its country code is not a French number.
        ("02 511 12 34", "FR"),
    ],
)
def test_clean_phone_refuses(value, country):
    assert errors_of(clean_phone, value, country) == {"phone": "error.phone_invalid"}


def test_clean_phone_empty_and_too_long():
    assert errors_of(clean_phone, "", "FR") == {"phone": "error.required"}
    assert errors_of(clean_phone, "0" * 31, "FR") == {"phone": "error.too_long"}


def test_clean_phone_belgian_numbers():
    assert clean_phone("+32 470 12 34 56", "BE") == "+32470123456"
    assert clean_phone("02 511 12 34", "BE") == "+3225111234"


# ---------------------------------------------------------------- postal code


def test_clean_postal_code_france():
    assert clean_postal_code(" 75011 ", "FR") == "75011"
    assert errors_of(clean_postal_code, "7501", "FR") == {"postal_code": "error.postal_code_fr"}
    assert errors_of(clean_postal_code, "ABCDE", "FR") == {"postal_code": "error.postal_code_fr"}
    assert errors_of(clean_postal_code, "750111", "FR") == {"postal_code": "error.postal_code_fr"}
    assert errors_of(clean_postal_code, "", "FR") == {"postal_code": "error.required"}


def test_clean_postal_code_other_country_is_not_held_to_french_rule():
    assert clean_postal_code("1000", "BE") == "1000"
    assert clean_postal_code("sw1a 1aa", "GB") == "SW1A 1AA"


# ---------------------------------------------------------------- SIRET / VAT


def test_clean_siret():
    assert clean_siret("73282932000074", required=True) == "73282932000074"
    assert clean_siret("732 829 320 00074", required=True) == "73282932000074"
    # Same number with a wrong last (check) digit.
    assert errors_of(clean_siret, "73282932000075", required=True) == {
        "siret": "error.siret_invalid"
    }
    assert errors_of(clean_siret, "7328293200007", required=False) == {
        "siret": "error.siret_invalid"
    }
    assert clean_siret("", required=False) is None
    assert clean_siret(None, required=False) is None
    assert errors_of(clean_siret, "", required=True) == {"siret": "error.required"}


def test_clean_vat_number():
    assert clean_vat_number("FR44732829320") == "FR44732829320"
    assert clean_vat_number("fr 44 732 829 320") == "FR44732829320"
    assert errors_of(clean_vat_number, "FR00000000000") == {"vat_number": "error.vat_invalid"}
    assert errors_of(clean_vat_number, "FR45732829320") == {"vat_number": "error.vat_invalid"}
    assert clean_vat_number("") is None


# ---------------------------------------------------------------- password


def test_clean_new_password():
    assert clean_new_password("Correct-Horse-42", "Correct-Horse-42") == "Correct-Horse-42"
    assert errors_of(clean_new_password, "", "") == {"password": "error.required"}
    assert errors_of(clean_new_password, "short", "short") == {"password": "error.password_short"}
    assert errors_of(clean_new_password, "Correct-Horse-42", "Correct-Horse-43") == {
        "password_confirm": "error.password_mismatch"
    }
    # 72 bytes is what bcrypt reads: accepted; one byte more is refused, counted in bytes.
    assert clean_new_password("a" * 72, "a" * 72) == "a" * 72
    assert errors_of(clean_new_password, "a" * 73, "a" * 73) == {"password": "error.password_long"}
    assert errors_of(clean_new_password, "é" * 37, "é" * 37) == {"password": "error.password_long"}


# ---------------------------------------------------------------- collect


def test_collect_gathers_every_field_error_at_once():
    with pytest.raises(InvalidInput) as exc:
        collect(
            lambda: clean_email("bad@"),
            lambda: clean_phone("123", "FR"),
            lambda: clean_postal_code("75011", "FR"),
            lambda: clean_new_password("short", "short"),
        )
    assert exc.value.errors == {
        "email": "error.email_invalid",
        "phone": "error.phone_invalid",
        "password": "error.password_short",
    }


def test_collect_returns_clean_values_in_order():
    assert collect(
        lambda: clean_email("A@B.FR"),
        lambda: clean_phone("06 12 34 56 78", "FR"),
        lambda: clean_siret("", required=False),
    ) == ["a@b.fr", "+33612345678", None]


# ---------------------------------------------------------------- clean_text


def test_clean_text_examples():
    assert clean_text("city", "  Paris ", required=True, max_length=100) == "Paris"
    assert clean_text("line2", "   ", required=False, max_length=100) is None
    assert errors_of(clean_text, "city", "", required=True, max_length=100) == {
        "city": "error.required"
    }
    assert errors_of(clean_text, "city", "x" * 101, required=True, max_length=100) == {
        "city": "error.too_long"
    }
    assert errors_of(clean_text, "city", "Pa\x00ris", required=True, max_length=100) == {
        "city": "error.bad_characters"
    }


@settings(max_examples=300, deadline=None, database=None)
@given(
    value=st.one_of(st.none(), st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F))),
    max_length=st.integers(min_value=1, max_value=120),
    required=st.booleans(),
)
def test_clean_text_never_too_long_and_only_invalid_input(value, max_length, required):
    try:
        result = clean_text("field", value, required=required, max_length=max_length)
    except InvalidInput as exc:
        assert list(exc.errors) == ["field"]
        return
    if result is None:
        assert not required
    else:
        assert isinstance(result, str)
        assert 0 < len(result) <= max_length
        assert result == result.strip()
        assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in result)
