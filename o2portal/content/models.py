"""FAQ entries and announcements, edited by staff."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field


class FaqEntry(SQLModel, table=True):
    __tablename__ = "faq_entry"

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=100, index=True)
    question: str = Field(max_length=300)
    answer: str = Field(max_length=10000)  # Markdown
    language: str = Field(default="fr", max_length=5, index=True)
    sort_order: int = Field(default=0)
    published: bool = Field(default=True)
    updated_at: datetime = created_at_field()


class Announcement(SQLModel, table=True):
    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    level: str = Field(default="info", max_length=10)  # info | warning
    starts_at: datetime | None = utc_field(index=True)
    ends_at: datetime | None = utc_field()
    published: bool = Field(default=True)
    created_at: datetime = created_at_field()
