"""The Reflex app module (Reflex looks for o2portal/o2portal.py): see o2portal.web.app."""

from o2portal.web.app import app

__all__ = ["app"]
