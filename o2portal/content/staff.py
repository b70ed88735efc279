"""Staff work on what customers read: FAQ entries (the public /faq page) and announcements
(customers' dashboards). Support reads; only admins change. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, tuple_
from sqlmodel import Session, col, select

from o2portal.content.models import Announcement, FaqEntry
from o2portal.core import audit, clock
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.validation import clean_text, collect, required_text

PAGE_SIZE = 25
FAQ_LANGUAGES = ("fr", "en")
ANNOUNCEMENT_LEVELS = ("info", "warning")
QUESTION_MAX = 300
ANSWER_MAX = 10_000
TOPIC_MAX = 100
TITLE_MAX = 200
BODY_MAX = 5_000
SORT_RANGE = (-9999, 9999)


def _page_of(session: Session, model, order, page: int) -> Page:
    return paginate(
        session, select(model).order_by(*order), page, count=select(func.count()).select_from(model)
    )


def _markdown(field: str, value: str | None, max_length: int) -> str:
    """Markdown text: several lines allowed, NUL bytes dropped, required, bounded."""
    return required_text((value or "").replace("\r\n", "\n").replace("\x00", ""), field, max_length)


def _choice(field: str, value, allowed: tuple[str, ...]) -> str:
    text = str(value or "").strip()
    if text not in allowed:
        raise InvalidInput({field: "content.error_choice"})
    return text


def _sort_order(value) -> int:
    text = str(value if value is not None else "").strip() or "0"
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput({"sort_order": "content.error_number"}) from None
    low, high = SORT_RANGE
    if not low <= number <= high:
        raise InvalidInput({"sort_order": "content.error_number"})
    return number


def _flag(value) -> bool:
    """A checkbox: a form sends "on", handlers may pass a bool."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("on", "true", "1", "yes")


def _when(field: str, value) -> datetime | None:
    """A moment typed in Paris time ("2026-05-01T08:30", from a datetime-local input)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=clock.PARIS)).astimezone(UTC)
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text[:32])
    except ValueError:
        raise InvalidInput({field: "content.error_date"}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.PARIS)
    if not 2000 <= moment.year <= 2100:
        raise InvalidInput({field: "content.error_date"})
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class _Kind:
    """A kind of content staff edit: its model; `action`, the start of its audit actions;
    `label`, the field named when one is created; `long_text`, its markdown field (only
    marked "…" in the log of an edit); `missing`, the error for an unknown id; `stamp`,
    set to now on creation, and on every edit too with `restamp`."""

    model: type[FaqEntry] | type[Announcement]
    action: str
    label: str
    long_text: str
    missing: str
    stamp: str
    restamp: bool


_FAQ = _Kind(FaqEntry, "staff.faq", "question", "answer", "no such FAQ entry", "updated_at", True)
_ANNOUNCEMENT = _Kind(
    Announcement, "staff.announcement", "title", "body", "no such announcement", "created_at", False
)


def _one(actor: Actor, kind: _Kind, row_id: int):
    """One row, for any staff member to read."""
    with read_session() as session:
        actor.staff()
        return existing(session, kind.model, row_id, kind.missing)


def _save(actor: Actor, kind: _Kind, row_id: int | None, changes: dict, *, ip) -> int:
    """Create (row_id None) or edit one row of that kind (admins only); returns its id.
    Audited as "<action>_created" with its label and published flag, or "<action>_edited"
    with the before and after of each changed field."""
    action, label, stamp = kind.action, kind.label, kind.stamp
    with transaction() as session:
        staff = actor.admin()
        if row_id is None:
            row = kind.model(**changes, **{stamp: clock.now()})
            session.add(row)
            session.flush()
            audit.about(
                session,
                f"{action}_created",
                row,
                actor=staff,
                ip=ip,
                **{label: getattr(row, label)},
                published=row.published,
            )
            return row.id
        row = existing(session, kind.model, row_id, kind.missing)
        before = {k: getattr(row, k) for k in changes}
        for key, value in changes.items():
            setattr(row, key, value)
        if kind.restamp:
            setattr(row, stamp, clock.now())
        session.add(row)
        audit.about(
            session,
            f"{action}_edited",
            row,
            actor=staff,
            ip=ip,
            changed={
                k: ([before[k], v] if k != kind.long_text else "…")
                for k, v in changes.items()
                if before[k] != v
            },
        )
        return row.id


# --- FAQ ----------------------------------------------------------------------------


def list_faq(actor: Actor, page: int = 1) -> Page:
    """Every entry, published or not, as the FAQ orders them, 25 a page."""
    with read_session() as session:
        actor.staff()
        return _page_of(
            session,
            FaqEntry,
            (FaqEntry.language, FaqEntry.topic, FaqEntry.sort_order, FaqEntry.id),
            page,
        )


def faq_page_of(actor: Actor, entry_id: int) -> int:
    """The page of list_faq that shows the entry (1 when there is no such entry): a new
    entry's place depends on its language, topic and order, so the list goes there."""
    with read_session() as session:
        actor.staff()
        entry = session.get(FaqEntry, entry_id) if entry_id else None
        if entry is None:
            return 1
        order = (FaqEntry.language, FaqEntry.topic, FaqEntry.sort_order, FaqEntry.id)
        place = (entry.language, entry.topic, entry.sort_order, entry.id)
        before = session.exec(
            select(func.count()).select_from(FaqEntry).where(tuple_(*order) < tuple_(*place))
        ).one()
        return before // PAGE_SIZE + 1


def faq_entry(actor: Actor, entry_id: int) -> FaqEntry:
    return _one(actor, _FAQ, entry_id)


FAQ_FIELDS = ("topic", "question", "answer", "language", "sort_order", "published")


def _clean_faq(form: dict) -> dict:
    values = collect(
        lambda: clean_text("topic", form.get("topic"), required=True, max_length=TOPIC_MAX),
        lambda: clean_text(
            "question", form.get("question"), required=True, max_length=QUESTION_MAX
        ),
        lambda: _markdown("answer", form.get("answer"), ANSWER_MAX),
        lambda: _choice("language", form.get("language") or "fr", FAQ_LANGUAGES),
        lambda: _sort_order(form.get("sort_order")),
        lambda: _flag(form.get("published")),
    )
    return dict(zip(FAQ_FIELDS, values, strict=True))


def save_faq(actor: Actor, entry_id: int | None, form: dict, *, ip=None) -> int:
    """Create (entry_id None) or edit an entry; returns its id. Nothing saved on an error."""
    return _save(actor, _FAQ, entry_id, _clean_faq(form), ip=ip)


# --- Announcements ------------------------------------------------------------------


def list_announcements(actor: Actor, page: int = 1) -> Page:
    """Newest first, published or not, 25 a page."""
    with read_session() as session:
        actor.staff()
        order = (col(Announcement.created_at).desc(), col(Announcement.id).desc())
        return _page_of(session, Announcement, order, page)


def announcement(actor: Actor, announcement_id: int) -> Announcement:
    return _one(actor, _ANNOUNCEMENT, announcement_id)


def visibility(item: Announcement, now: datetime | None = None) -> str:
    """What customers see of it right now: draft, scheduled, visible or over."""
    now = now or clock.now()
    if not item.published:
        return "draft"
    if item.starts_at is not None and item.starts_at > now:
        return "scheduled"
    if item.ends_at is not None and item.ends_at <= now:
        return "over"
    return "visible"


ANNOUNCEMENT_FIELDS = ("title", "body", "level", "starts_at", "ends_at", "published")


def _clean_announcement(form: dict) -> dict:
    values = collect(
        lambda: clean_text("title", form.get("title"), required=True, max_length=TITLE_MAX),
        lambda: _markdown("body", form.get("body"), BODY_MAX),
        lambda: _choice("level", form.get("level") or "info", ANNOUNCEMENT_LEVELS),
        lambda: _when("starts_at", form.get("starts_at")),
        lambda: _when("ends_at", form.get("ends_at")),
        lambda: _flag(form.get("published")),
    )
    changes = dict(zip(ANNOUNCEMENT_FIELDS, values, strict=True))
    starts, ends = changes["starts_at"], changes["ends_at"]
    if starts is not None and ends is not None and ends <= starts:
        raise InvalidInput({"ends_at": "content.error_ends_before"})
    return changes


def save_announcement(actor: Actor, announcement_id: int | None, form: dict, *, ip=None) -> int:
    """Create (announcement_id None) or edit one; returns its id. Nothing saved on an error."""
    return _save(actor, _ANNOUNCEMENT, announcement_id, _clean_announcement(form), ip=ip)


def set_announcement_published(
    actor: Actor, announcement_id: int, published: bool, *, ip=None
) -> None:
    with transaction() as session:
        staff = actor.admin()
        item = existing(session, Announcement, announcement_id, _ANNOUNCEMENT.missing)
        if item.published == published:
            return
        item.published = published
        session.add(item)
        audit.record(
            session,
            "staff.announcement_published" if published else "staff.announcement_unpublished",
            actor=staff,
            target_type="announcement",
            target_id=item.id,
            ip=ip,
            title=item.title,
        )
