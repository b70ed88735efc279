"""Fixtures of the unit tests: a real local SMTP server wired into the settings."""

from __future__ import annotations

import pytest

from tests.smtp_server import SmtpSink


@pytest.fixture
def smtp_sink(db, monkeypatch):
    """A running SmtpSink; o2portal's settings send mail to it for this test."""
    from o2portal.core.settings import reload_settings

    sink = SmtpSink().start()
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", sink.host)
    monkeypatch.setenv("O2PORTAL_SMTP_PORT", str(sink.port))
    reload_settings()
    try:
        yield sink
    finally:
        sink.stop()
