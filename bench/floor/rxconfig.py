"""The floor: a bare Reflex app run beside the portal by bench/run.py (not part of it)."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

base_url = os.environ.get("FLOOR_BASE_URL", "http://localhost:3000").rstrip("/")

config = rx.Config(
    app_name="floor",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=[base_url],
    api_url=base_url,
    deploy_url=base_url,
    disable_plugins=[SitemapPlugin],
)
