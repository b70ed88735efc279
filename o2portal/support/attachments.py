"""Files attached to ticket messages: what may be attached (small text files: logs,
configuration), where they are kept, who may read them back, and the files a form has
staged while its message is being written."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from o2portal.accounts.models import Customer
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.settings import get_settings
from o2portal.core.validation import without_controls
from o2portal.mail.templating import Part
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage

# Logs and text files: enough for a PHP error log or a configuration file, not a backup.
ATTACHMENT_MAX_BYTES = 1024 * 1024
ATTACHMENTS_PER_MESSAGE = 3
ATTACHMENT_NAME_MAX = 120
_EXTENSIONS = """
    .txt .log .conf .cfg .cnf .ini .env .htaccess .csv .tsv .json .xml .yml .yaml .toml .md
    .sql .php .py .js .ts .css .html .htm .sh .rb .pl .err .out .diff .patch
"""
TEXT_EXTENSIONS = frozenset(_EXTENSIONS.split())


@dataclass(frozen=True)
class NewAttachment:
    """A checked text file, ready to be stored with a message."""

    filename: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def clean_filename(raw: str | None) -> str:
    """The file's own name, without any folder, control character or odd Unicode form."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = without_controls(name).strip().strip(".")
    if len(name) > ATTACHMENT_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: ATTACHMENT_NAME_MAX - len(ext) - 1] + dot + ext) if dot else name
        name = name[:ATTACHMENT_NAME_MAX]
    return name


def _extension_allowed(name: str) -> bool:
    lowered = name.lower()
    if lowered in ("htaccess", "error_log", "access_log", "php.ini", "dockerfile", "makefile"):
        return True
    suffix = Path(lowered).suffix
    if not suffix:
        # error_log, messages, … : a log without extension is common on a server.
        return "." not in lowered
    return suffix in TEXT_EXTENSIONS or bool(re.fullmatch(r"\.\d{1,3}", suffix))


_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def is_text(content: bytes) -> bool:
    """UTF-8 (or Windows-1252) text without the control characters binary files are full
    of (tabs, line ends, form feeds and the escape of coloured logs are fine)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _BINARY_CONTROL.search(text) is None
    return False


def check_attachment(filename: str | None, content: bytes) -> NewAttachment:
    """A file a customer or staff member attaches; InvalidInput({"attachments": …}) if not."""
    name = clean_filename(filename)
    if not name:
        raise InvalidInput({"attachments": "error.attachment_name"})
    if not content:
        raise InvalidInput({"attachments": "error.attachment_empty"})
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise InvalidInput({"attachments": "error.attachment_too_big"})
    if not _extension_allowed(name) or not is_text(content):
        raise InvalidInput({"attachments": "error.attachment_type"})
    return NewAttachment(filename=name, content=content)


def check_attachments(attachments: list[NewAttachment] | None) -> list[NewAttachment]:
    files = list(attachments or [])
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        raise InvalidInput({"attachments": "error.attachment_count"})
    return [check_attachment(a.filename, a.content) for a in files]


def store_attachments(
    session: Session, ticket_id: int, message_id: int, files: list[NewAttachment], now: datetime
) -> None:
    """Write the message's files and their rows; on any failure, no file is left behind."""
    written: list[Path] = []
    try:
        for f in files:
            relative = _store(ticket_id, f.content)
            written.append(_data_dir() / relative)
            session.add(
                TicketAttachment(
                    message_id=message_id,
                    filename=f.filename,
                    content_type="text/plain",
                    size_bytes=f.size,
                    sha256=hashlib.sha256(f.content).hexdigest(),
                    storage_path=relative,
                    created_at=now,
                )
            )
        session.flush()
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def attachment_for(person_id: int, attachment_id: int) -> tuple[Path, str]:
    """The stored file and its name, for the ticket's owner (not on an internal note) or
    staff; NotAllowed for anyone else and for what does not exist."""
    with read_session() as session:
        person = session.get(Customer, person_id) if person_id else None
        attachment = session.get(TicketAttachment, attachment_id) if attachment_id else None
        if person is None or attachment is None:
            raise NotAllowed("attachment")
        message = session.get(TicketMessage, attachment.message_id)
        ticket = session.get(Ticket, message.ticket_id) if message else None
        if ticket is None:
            raise NotAllowed("attachment")
        staff = person.acts_as_staff and person.disabled_at is None and person.deleted_at is None
        if not staff and (ticket.customer_id != person.id or message.is_internal):
            raise NotAllowed("attachment")
    root = _data_dir()
    path = (root / attachment.storage_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotAllowed("attachment")
    return path, attachment.filename


def _data_dir() -> Path:
    return Path(get_settings().data_dir).resolve()


def _store(ticket_id: int, content: bytes) -> str:
    """Write the file under the private data directory; returns its relative path."""
    relative = Path("attachments") / str(ticket_id) / secrets.token_hex(16)
    target = _data_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return relative.as_posix()


# ---------------------------------------------------------------- files being written


STAGING_HOURS = 24
_STAGED_ID = re.compile(r"[0-9a-f]{32}")


def _staging_dir() -> Path:
    return _data_dir() / "staging"


def stage_attachment(owner_id: int, filename: str | None, content: bytes) -> str:
    """Check a file chosen in the reply form and keep it aside until the message is sent.

    Returns its staged id; only the same person can use it (the id names its owner)."""
    checked = check_attachment(filename, content)
    staged_id = secrets.token_hex(16)
    folder = _staging_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{int(owner_id)}-{staged_id}").write_bytes(checked.content)
    return staged_id


def staged_attachments(owner_id: int, files: list[tuple[str, str]]) -> list[NewAttachment]:
    """The staged files (id, name) of this person, read back for the message."""
    found = []
    for staged_id, name in files:
        path = _staged_path(owner_id, staged_id)
        if path is None or not path.is_file():
            raise InvalidInput({"attachments": "error.attachment_gone"})
        found.append(NewAttachment(filename=clean_filename(name), content=path.read_bytes()))
    return found


def discard_staged(owner_id: int, staged_ids: list[str]) -> None:
    for staged_id in staged_ids:
        path = _staged_path(owner_id, staged_id)
        if path is not None:
            path.unlink(missing_ok=True)


def _staged_path(owner_id: int, staged_id: str) -> Path | None:
    if not _STAGED_ID.fullmatch(staged_id or ""):
        return None
    return _staging_dir() / f"{int(owner_id)}-{staged_id}"


def purge_stale_staging(now: datetime | None = None) -> int:
    """Files chosen in a form that was never sent: gone after a day."""
    folder = _staging_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or clock.now()).timestamp() - STAGING_HOURS * 3600
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# ---------------------------------------------------------------- mails


def attachments_line(files: list[NewAttachment]) -> Part | str:
    """The attachments line, or nothing (its paragraph is then left out)."""
    if not files:
        return ""
    return Part("attachments", files=", ".join(f.filename for f in files))
