"""Support tickets: the thread, attachments, the staff queue."""
