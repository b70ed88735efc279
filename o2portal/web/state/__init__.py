"""Reflex states: thin handlers that ask who is asking, call domain/, and set vars."""
