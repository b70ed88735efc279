"""Customer and staff accounts: sign-up, sign-in, sessions, passwords, second factor, Ma
fiche, personal data."""
