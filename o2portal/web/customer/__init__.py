"""The customer's pages, one package per subject (state.py, page.py); the visitors' pages
(sign-in, FAQ) live with their subject too."""
