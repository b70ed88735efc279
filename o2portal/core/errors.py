"""Errors the domain raises; messages are i18n keys so that each form can show them by its field."""

from __future__ import annotations


class InvalidInput(Exception):
    """Bad input: {field name: message key}. Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(Exception):
    """The person asking may not do this (not signed in, not theirs, not staff)."""
