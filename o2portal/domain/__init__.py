"""Business rules as plain functions. Nothing here imports reflex."""
