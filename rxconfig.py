import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from o2portal.core.settings import get_settings

settings = get_settings()
if settings.secure_cookies and settings.uses_demo_secret:
    raise SystemExit("O2PORTAL_SECRET_KEY must be set to a secret value when serving over https.")

# A tab's state is forgotten once the tab has been gone for state_expiry_seconds (Reflex
# calls it redis_token_expiration whatever the manager). With Redis, the pages' state is
# shared by every worker (`make run-scaled`). Without it there is one worker, which keeps
# the states in memory and forgets each on its own timer: the disk manager would rescan
# its whole directory of states again and again, and nothing needs a tab's state to
# outlive a restart (a page reloads what it shows from the database).
state_manager = (
    {"redis_url": settings.redis_url, "state_manager_mode": "redis"}
    if settings.redis_url
    else {"state_manager_mode": "memory"}
)

# Behind a reverse proxy, the workers answer the proxy only: X-Forwarded-For is believed,
# so nobody else may reach them and write it.
behind_proxy = {"backend_host": "127.0.0.1"} if settings.trusted_proxy_hops else {}

config = rx.Config(
    app_name="o2portal",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Only the portal's own pages may open the event websocket, and they open it at the
    # portal's public address (through the reverse proxy when there is one), never at a
    # worker's own port, where X-Forwarded-For would be the visitor's to write.
    cors_allowed_origins=[settings.base_url.rstrip("/")],
    api_url=settings.base_url.rstrip("/"),
    deploy_url=settings.base_url.rstrip("/"),
    trusted_proxy_hops=settings.trusted_proxy_hops,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium"))],
    disable_plugins=[SitemapPlugin],
    redis_token_expiration=settings.state_expiry_seconds,
    **state_manager,
    **behind_proxy,
)
