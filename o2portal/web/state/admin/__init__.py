"""Staff states: every handler starts with require_staff()."""
