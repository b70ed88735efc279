"""The private keys the portal makes for SSL certificates, kept encrypted until their one
download.

A key made here (integrations/csr.py, after the payment) is the customer's secret: the
portal needs it only long enough for the customer to take it. Meanwhile it is stored
encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under a key
derived from the installation's secret (O2PORTAL_SECRET_KEY) with HKDF, so that a copy of
the database alone (a backup, an export) does not give the keys away; the row's ciphertext
is erased in the transaction that hands the key out, so it is downloaded once and never
again. A change of the installation's secret makes the keys not yet downloaded unreadable
(the customer then orders a re-issuance with a CSR of their own).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from o2portal.core.settings import get_settings

_INFO = b"o2portal ssl certificate private keys v1"


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        get_settings().secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(key_pem: str) -> str:
    """The key as stored: a Fernet token (ASCII)."""
    return _fernet().encrypt(key_pem.encode("ascii")).decode("ascii")


def unseal(token: str) -> str | None:
    """The key back, or None when this installation's secret cannot open it."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        return None
