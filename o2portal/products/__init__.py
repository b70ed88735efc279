"""What customers own: hosting accounts, domains and servers, their expiry and lifecycle."""
