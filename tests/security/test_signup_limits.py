"""Sign-ups are slowed, never walled: from one client address (an office behind one NAT)
or for one email domain, the first few of a day go through at once, then each waits a
little longer after the one before (1, 2, 4… minutes, an hour at most). The big public
mail providers are not counted by domain. The message is the form's, not the email
field's: the address typed is not what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from o2portal.accounts import signup
from o2portal.core import clock
from o2portal.core.errors import InvalidInput
from tests.unit.helpers import signup_form

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sign_up(n: int, domain: str, ip: str):
    return signup.sign_up(signup_form(email=f"personne{n}@{domain}"), ip=ip)


def test_an_office_behind_one_address_is_slowed_not_stopped(db):
    now, waits = T0, []
    for n in range(12):
        while True:
            with clock.frozen_at(now):
                try:
                    _sign_up(n, f"domaine{n}.fr", "203.0.113.10")
                    break
                except InvalidInput as exc:
                    assert exc.errors == {"form": "error.signup_wait"}
                    waits.append(n)
                    now += timedelta(minutes=1)
    # Five at once, then 1, 2, 4, 8, 16, 32, 60 minutes after the one before.
    assert waits.count(4) == 0 and waits.count(5) == 1 and waits.count(6) == 2
    assert waits.count(7) == 4 and waits.count(11) == 60
    # Another address is not held up by that office.
    with clock.frozen_at(now):
        assert _sign_up(99, "ailleurs.fr", "198.51.100.7") is not None


def test_one_email_domain_is_slowed_from_any_address_but_public_providers_are_not(db):
    with clock.frozen_at(T0):
        for n in range(signup.SIGNUPS_FREE_PER_DOMAIN):
            _sign_up(n, "societe.fr", f"198.51.100.{n + 1}")
        with pytest.raises(InvalidInput):
            _sign_up(50, "societe.fr", "198.51.100.200")
        for n in range(signup.SIGNUPS_FREE_PER_DOMAIN + 5):
            _sign_up(100 + n, "gmail.com", f"192.0.2.{n + 1}")
    with clock.frozen_at(T0 + timedelta(minutes=1)):
        assert _sign_up(51, "societe.fr", "198.51.100.201") is not None


def test_the_page_says_so_above_the_button_and_not_under_the_email(db):
    """Through the sign-up page's handler: past the address's free sign-ups, the message
    is the form's."""
    import o2portal.o2portal  # noqa: F401  (registers every page and state)
    from o2portal.web.customer.auth.state import SignupState
    from tests.state.conftest import make_state, run

    fields = {
        "first_name": "Léa",
        "last_name": "Martin",
        "phone": "06 12 34 56 78",
        "address_line1": "3 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "password": "Un-mot-de-passe-solide",
        "password_confirm": "Un-mot-de-passe-solide",
        "accept_terms": "on",
    }
    with clock.frozen_at(T0):
        for n in range(signup.SIGNUPS_FREE_PER_ADDRESS + 1):
            state = make_state(SignupState, path="/signup")
            list(run(state, "submit", {**fields, "email": f"bureau{n}@cabinet{n}.fr"}) or [])
        assert state.done is False
        assert set(state.errors) == {"form"}
        assert "patientez quelques minutes" in state.errors["form"]
