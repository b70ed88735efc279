"""The sign-in form with bad input: a clear message, no crash, no session given."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from o2portal.accounts.models import LoginTicket
from o2portal.core.db import read_session
from o2portal.web.customer.auth.state import LoginState
from tests.state.conftest import PASSWORD, make_state, run


def _tickets() -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(LoginTicket)).one()


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"email": "", "password": ""},
        {"email": "alice@example.fr", "password": ""},
        {"email": "", "password": PASSWORD},
        {"email": "a" * 5000 + "@example.fr", "password": PASSWORD},
        {"email": "alice@example.fr", "password": "x" * 100_000},
        {"email": ["alice@example.fr"], "password": {"p": 1}},
        {"email": "alice@example.fr\x00", "password": PASSWORD + "\x00"},
    ],
    ids=[
        "nothing",
        "empty",
        "no-password",
        "no-email",
        "long-email",
        "long-password",
        "not-text",
        "nul-bytes",
    ],
)
def test_bad_sign_in_input_gives_a_message_and_no_session(people, form):
    before = _tickets()  # the fixture signed Alice in once
    state = make_state(LoginState, path="/login")
    run(state, "submit", form)
    assert state.error, "the person must be told"
    assert state.busy is False
    assert _tickets() == before


def test_the_right_password_still_works_after_bad_tries(people):
    before = _tickets()
    state = make_state(LoginState, path="/login")
    run(state, "submit", {"email": "alice@example.fr", "password": PASSWORD})
    assert state.error == ""
    assert _tickets() == before + 1


def test_the_password_is_checked_in_the_passwords_own_pool(people, monkeypatch):
    """bcrypt runs one at a time in a pool of its own, never in the threads the other
    handlers share: a burst of sign-ins cannot starve them."""
    import threading

    from o2portal.accounts import auth

    threads: list[str] = []
    real = auth.check_password

    def recording(password, password_hash):
        threads.append(threading.current_thread().name)
        return real(password, password_hash)

    monkeypatch.setattr(auth, "check_password", recording)
    state = make_state(LoginState, path="/login")
    run(state, "submit", {"email": "alice@example.fr", "password": PASSWORD})
    assert state.error == ""
    assert threads and all(name.startswith("o2-passwords") for name in threads)
