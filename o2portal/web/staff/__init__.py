"""The staff pages, one package per subject (state.py, page.py), for support and admins."""
