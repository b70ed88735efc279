"""Message catalogues of one subject each (FR and EN dicts), merged into the main ones.

A module here defines `FR: dict[str, str]` and `EN: dict[str, str]` with the same keys.
"""
