"""Password hashing with bcrypt and the random tokens that links and sessions carry."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import bcrypt

from o2portal.core.settings import get_settings
from o2portal.core.validation import MAX_PASSWORD_BYTES

# Set only by the test suite (tests/conftest.py): a bcrypt cost that production never uses,
# so that the tests do not spend a quarter of a second on every hash. Settings refuse a
# cost below 12, and a test runs a fresh process to prove production hashes at 12.
_TEST_ROUNDS: int | None = None


def use_cheap_hashes_for_tests(rounds: int = 4) -> None:
    global _TEST_ROUNDS, _DUMMY_HASH
    _TEST_ROUNDS, _DUMMY_HASH = rounds, None


def hash_password(password: str) -> str:
    """bcrypt hash, cost from settings (at least 12). Slow on purpose: call off the event loop."""
    rounds = _TEST_ROUNDS or get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES or not password_hash:
        return False
    try:
        return bcrypt.checkpw(data, password_hash.encode("ascii"))
    except ValueError:
        return False


# A fixed hash to check against when the account does not exist, so that a
# wrong email costs as long as a wrong password (no account enumeration by timing).
_DUMMY_HASH: str | None = None


def burn_password_check(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password-0000")
    check_password(password, _DUMMY_HASH)


def new_token() -> str:
    """A URL-safe random secret (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: a keyed SHA-256, so a stolen table is useless."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()
