"""Email: the outbox, its delivery, and the texts of every mail as template files per
language (templates/fr, templates/en) rendered by templating.py."""
