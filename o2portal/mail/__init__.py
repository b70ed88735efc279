"""Email: the outbox, its delivery and the texts of every mail."""
