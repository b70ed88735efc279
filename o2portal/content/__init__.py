"""What customers read: the FAQ and announcements."""
