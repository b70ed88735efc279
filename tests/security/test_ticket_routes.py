"""/files/attachments/{id} over real HTTP: a ticket's files are for its owner (never those
of an internal note) and staff; anyone else gets the very answer of a missing file; every
file is a plain-text download, whatever its name or content says; files are kept in the
private data directory, never where the web server serves assets from."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import select

from o2portal.core.db import read_session, transaction
from o2portal.core.settings import PROJECT_ROOT, get_settings
from o2portal.support import attachments, queue, tickets
from o2portal.support.models import TicketAttachment, TicketMessage
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.unit.helpers import actor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LOG = b"PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect()\n"
SCRIPT = b"<script>alert(1)</script>"
NOTE_LOG = b"staff only: fraud check in progress\n"


@pytest.fixture
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield TestClient(build_routes(), base_url="http://localhost:3000")


def get(client, path: str, token: str | None = None, **headers):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, headers=headers, follow_redirects=False)


def attachments_of(message_id: int) -> list[TicketAttachment]:
    with read_session() as session:
        return list(
            session.exec(
                select(TicketAttachment)
                .where(TicketAttachment.message_id == message_id)
                .order_by(TicketAttachment.id)
            ).all()
        )


def first_message(ticket_id: int) -> int:
    with read_session() as session:
        return session.exec(
            select(TicketMessage.id)
            .where(TicketMessage.ticket_id == ticket_id)
            .order_by(TicketMessage.id)
        ).first()


@pytest.fixture
def files(people):
    """Alice's ticket: her error.log and x.html, and an internal note with its own file."""
    alice, sam = people["customer"]["alice"], people["customer"]["sam"]
    ticket_id = tickets.open_ticket(
        alice.id,
        subject="Erreur 500",
        department="technique",
        priority="haute",
        product_id=None,
        body="Le journal est joint.",
        attachments=[
            attachments.NewAttachment("error.log", LOG),
            attachments.NewAttachment("x.html", SCRIPT),
        ],
    )
    log, html = attachments_of(first_message(ticket_id))
    note_id = queue.add_staff_reply(
        actor(sam.id),
        ticket_id,
        "Note interne : vérification en cours.",
        [attachments.NewAttachment("fraud-check.log", NOTE_LOG)],
        internal=True,
    )
    (note,) = attachments_of(note_id)
    return {"ticket": ticket_id, "log": log, "html": html, "note": note}


def url(attachment: TicketAttachment | int) -> str:
    attachment_id = attachment if isinstance(attachment, int) else attachment.id
    return f"/files/attachments/{attachment_id}"


def assert_plain_text_download(response, filename: str) -> None:
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{filename}"' in disposition
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "sandbox" in response.headers["content-security-policy"]


def test_the_owner_downloads_her_file_as_it_was_sent(client, people, files):
    response = get(client, url(files["log"]), people["token"]["alice"])
    assert response.status_code == 200
    assert response.content == LOG
    assert_plain_text_download(response, "error.log")


def test_another_customer_gets_the_answer_of_a_missing_file(client, people, files):
    bob = get(client, url(files["log"]), people["token"]["bob"])
    missing = get(client, url(files["note"].id + 1000), people["token"]["bob"])
    missing_for_owner = get(client, url(files["note"].id + 1000), people["token"]["alice"])
    assert bob.status_code == 404
    assert LOG not in bob.content
    for other in (missing, missing_for_owner):
        assert other.status_code == bob.status_code
        assert other.content == bob.content
        assert dict(other.headers) == dict(bob.headers)
    # Nor does Bob get any other of Alice's files.
    for key in ("html", "note"):
        assert get(client, url(files[key]), people["token"]["bob"]).status_code == 404


def test_without_a_valid_cookie_nothing_is_served(client, files):
    for token in (None, "forged-session-token", ""):
        response = get(client, url(files["log"]), token)
        assert response.status_code == 401
        assert LOG not in response.content


def test_a_file_of_an_internal_note_is_for_staff_only(client, people, files):
    owner = get(client, url(files["note"]), people["token"]["alice"])
    assert owner.status_code == 404
    assert NOTE_LOG not in owner.content
    missing = get(client, url(files["note"].id + 1000), people["token"]["alice"])
    assert (owner.status_code, owner.content) == (missing.status_code, missing.content)

    for who in ("sam", "ada"):
        response = get(client, url(files["note"]), people["token"][who])
        assert response.status_code == 200, who
        assert response.content == NOTE_LOG
        assert_plain_text_download(response, "fraud-check.log")
    # Staff also get the customer's own files.
    assert get(client, url(files["log"]), people["token"]["sam"]).content == LOG


def test_html_with_script_is_still_a_plain_text_download(client, people, files):
    response = get(client, url(files["html"]), people["token"]["alice"])
    assert response.status_code == 200
    assert response.content == SCRIPT
    assert_plain_text_download(response, "x.html")
    assert "html" not in response.headers["content-type"]
    assert files["html"].content_type == "text/plain"


def test_a_tampered_storage_path_serves_nothing_outside_the_data_dir(client, people, files):
    """Even a row pointing outside the private directory gives the same 404."""
    outside = Path(get_settings().data_dir).resolve().parent / "outside.txt"
    outside.write_text("not an attachment\n")
    with transaction() as session:
        row = session.get(TicketAttachment, files["log"].id)
        row.storage_path = "../outside.txt"
        session.add(row)
    response = get(client, url(files["log"]), people["token"]["alice"])
    assert response.status_code == 404
    assert b"not an attachment" not in response.content


def test_files_are_stored_in_the_private_data_dir_not_under_assets(people, files):
    data_dir = Path(get_settings().data_dir).resolve()
    assets = (PROJECT_ROOT / "assets").resolve()
    public_dirs = [assets, Path(rx.get_upload_dir()).resolve()]
    for key, content in (("log", LOG), ("html", SCRIPT), ("note", NOTE_LOG)):
        row = files[key]
        relative = Path(row.storage_path)
        assert not relative.is_absolute()
        assert ".." not in relative.parts
        stored = (data_dir / relative).resolve()
        assert stored.is_relative_to(data_dir)
        assert stored.read_bytes() == content
        # The name on disk is random: never the customer's, never ".html".
        assert row.filename not in row.storage_path
        assert stored.suffix == ""
        for public in public_dirs:
            assert not stored.is_relative_to(public)
    # And nothing of them was written where assets are served from.
    for public in public_dirs:
        if public.is_dir():
            for path in public.rglob("*"):
                if path.is_file():
                    assert path.read_bytes() not in (LOG, SCRIPT, NOTE_LOG), path


def test_the_default_data_dir_is_not_a_public_folder():
    """Outside the tests (which point it to a temporary folder) too."""
    from o2portal.core.settings import Settings

    default = Path(Settings.model_fields["data_dir"].default).resolve()
    assert not default.is_relative_to((PROJECT_ROOT / "assets").resolve())
    assert not default.is_relative_to(Path(rx.get_upload_dir()).resolve())
