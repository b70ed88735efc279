"""Settings staff change at run time, kept as JSON in the database."""

from __future__ import annotations

import json
import re

from sqlmodel import Session

from o2portal.domain.errors import InvalidInput
from o2portal.models import Setting

DEFAULT_REMINDER_SCHEDULE = ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]
_STAGE = re.compile(r"D([+-]\d{1,3})?")


def read_setting(session: Session, key: str, default):
    row = session.get(Setting, key)
    if row is None:
        return default
    try:
        return json.loads(row.value_json)
    except ValueError:
        return default


def stage_offset(stage: str) -> int:
    """'D-60' → -60, 'D0' → 0, 'D+7' → 7: days from the expiry date."""
    match = _STAGE.fullmatch(stage.strip())
    if not match or stage.strip() in ("D-0", "D+0"):
        if stage.strip() != "D0":
            raise InvalidInput({"reminder_schedule": "error.stage_invalid"})
        return 0
    return int(match.group(1) or 0)


def reminder_schedule(session: Session) -> list[tuple[str, int]]:
    """The stages in time order, as (name, offset in days)."""
    stages = read_setting(session, "reminder_schedule", DEFAULT_REMINDER_SCHEDULE)
    parsed = []
    for stage in stages if isinstance(stages, list) else DEFAULT_REMINDER_SCHEDULE:
        try:
            parsed.append((str(stage), stage_offset(str(stage))))
        except InvalidInput:
            continue
    return sorted(set(parsed), key=lambda item: item[1]) or [
        (s, stage_offset(s)) for s in DEFAULT_REMINDER_SCHEDULE
    ]
