"""Plain HTTP routes beside the Reflex app: the ones that must set or clear the HttpOnly
session cookie, which a websocket event cannot do."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from o2portal.domain import auth
from o2portal.settings import get_settings
from o2portal.state.guards import SESSION_COOKIE


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def start_session(request: Request) -> RedirectResponse:
    """Trade the one-time login ticket for the session cookie, then go on to the next page."""
    new = await run_in_threadpool(
        auth.exchange_ticket,
        request.query_params.get("ticket", ""),
        ip=_client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    if new is None:
        return RedirectResponse("/login?msg=expired", status_code=303)
    response = RedirectResponse(auth.safe_next_path(new.next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=new.max_age_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def clear_session(request: Request) -> RedirectResponse:
    """Drop the cookie (the session row was already revoked by the logout handler)."""
    msg = "reset" if request.query_params.get("msg") == "reset" else "bye"
    response = RedirectResponse(f"/login?msg={msg}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


def build_routes() -> Starlette:
    return Starlette(
        routes=[
            Route("/auth/session", start_session, methods=["GET"]),
            Route("/auth/clear", clear_session, methods=["GET"]),
        ]
    )
