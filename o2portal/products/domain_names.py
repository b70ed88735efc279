"""Domain names as customers type them: syntax, IDNA for accented names, and the
extensions the catalogue sells."""

from __future__ import annotations

import re
from dataclasses import dataclass

import idna
from sqlmodel import Session, col, select

from o2portal.catalog.models import TldPrice
from o2portal.core.errors import InvalidInput

MAX_LABEL = 63
MAX_NAME = 253
_LDH = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


@dataclass(frozen=True)
class DomainName:
    ascii: str  # what registries use: "xn--caf-dma.fr"
    unicode: str  # what people read: "café.fr"
    tld: str


def check_domain_name(raw: str | None, supported_tlds: set[str]) -> DomainName:
    """Syntax, IDNA for accented names, a supported extension; raises InvalidInput
    {"domain": key} with a message that says what is wrong."""
    text = (raw or "").strip().lower().rstrip(".")
    if not text:
        raise InvalidInput({"domain": "error.required"})
    if len(text) > 300:
        raise InvalidInput({"domain": "error.domain_too_long"})
    if any(ch.isspace() for ch in text):
        raise InvalidInput({"domain": "error.domain_spaces"})
    text = re.sub(r"^(https?://)?(www\.)?", "", text).split("/")[0]
    labels = text.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        raise InvalidInput({"domain": "error.domain_no_extension"})
    if len(labels) > 2:
        raise InvalidInput({"domain": "error.domain_subdomain"})
    tld = labels[-1]
    if tld not in supported_tlds:
        raise InvalidInput({"domain": "error.domain_extension"})
    label = labels[0]
    if len(label) > MAX_LABEL:
        raise InvalidInput({"domain": "error.domain_label_long"})
    if label.startswith("-") or label.endswith("-"):
        raise InvalidInput({"domain": "error.domain_hyphen"})
    try:
        ascii_label = idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise InvalidInput({"domain": "error.domain_characters"}) from None
    if len(ascii_label) > MAX_LABEL:
        raise InvalidInput({"domain": "error.domain_label_long"})
    if not _LDH.match(ascii_label) or (
        ascii_label[2:4] == "--" and not ascii_label.startswith("xn--")
    ):
        raise InvalidInput({"domain": "error.domain_characters"})
    ascii_name = f"{ascii_label}.{tld}"
    if len(ascii_name) > MAX_NAME:
        raise InvalidInput({"domain": "error.domain_too_long"})
    return DomainName(ascii_name, idna.decode(ascii_name), tld)


def supported_tlds(session: Session) -> set[str]:
    return set(session.exec(select(TldPrice.tld).where(col(TldPrice.active).is_(True))).all())
