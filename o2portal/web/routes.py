"""Plain HTTP routes beside the Reflex app: those that set or clear the HttpOnly session
cookie (a websocket event cannot), the private files (invoice PDFs, SSL certificates and
keys, the customer's personal data export), and the built-in card gateway's tokenization
endpoint."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from o2portal.accounts import auth, personal_data
from o2portal.billing.documents import (
    DocumentNotFound,
    credit_note_pdf,
    invoice_pdf,
    order_form_pdf,
)
from o2portal.core import clock
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.settings import get_settings
from o2portal.core.validation import without_controls
from o2portal.integrations.gateway import CARD_FIELDS, GatewayTimeout, tokenize_fields
from o2portal.products import certificates
from o2portal.reporting import exports
from o2portal.reporting.vat_report import report_months
from o2portal.support import tickets
from o2portal.web.guards import SESSION_COOKIE


def client_ip(request: Request) -> str:
    """The peer address, or the address a trusted reverse proxy saw (as Reflex does)."""
    hops = get_settings().trusted_proxy_hops
    if hops:
        forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.client.host if request.client else ""


def from_this_site(request: Request) -> bool:
    """The request was made by one of our own pages (not a link or form on another site)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    ours = urlsplit(get_settings().base_url)
    theirs = urlsplit(origin)
    return (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


async def start_session(request: Request) -> RedirectResponse:
    """Trade the one-time login ticket for the session cookie, then go on to the next page.

    Only our own login page may send the browser here: another site cannot sign a visitor
    into an account of its choosing (login CSRF)."""
    if not from_this_site(request):
        return _no_store(RedirectResponse("/login?msg=expired", status_code=303))
    new = await run_in_threadpool(
        auth.exchange_ticket,
        request.query_params.get("ticket", ""),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    if new is None:
        return _no_store(RedirectResponse("/login?msg=expired", status_code=303))
    next_path = auth.safe_next_path(new.next_path)
    if new.needs_second_factor:
        # The cookie opens nothing yet but the page that asks for the code.
        next_path = "/two-factor?next=" + quote(next_path, safe="/")
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=new.max_age_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return _no_store(response)


async def end_session(request: Request) -> Response:
    """POST from our pages: revoke the session of this very cookie and drop the cookie."""
    if not from_this_site(request):
        return Response(status_code=403)
    token = request.cookies.get(SESSION_COOKIE)
    await run_in_threadpool(auth.log_out, token, ip=client_ip(request))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return _no_store(response)


def _who(request: Request):
    return auth.resolve_session(request.cookies.get(SESSION_COOKIE))


def _pdf(content: bytes, filename: str) -> Response:
    return _no_store(
        Response(
            content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Content-Type-Options": "nosniff",
            },
        )
    )


# The largest id a row can have (a signed 64-bit integer on both databases).
MAX_ROW_ID = 2**63 - 1


def _row_id(request: Request, name: str) -> int | None:
    """The path's id, or None when no row can have it (0, or past MAX_ROW_ID): the
    same 404 as a missing one, not the database driver's OverflowError."""
    value = request.path_params[name]
    return value if 0 < value <= MAX_ROW_ID else None


async def _document(request: Request, make_pdf, id_param: str) -> Response:
    """A PDF of the portal's (invoice, credit note, order form): only for its owner and
    staff; anyone else gets the same 404."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    row_id = _row_id(request, id_param)
    if row_id is None:
        return Response(status_code=404)
    try:
        number, content = await run_in_threadpool(make_pdf, user.customer, row_id)
    except DocumentNotFound:
        return Response(status_code=404)
    return _pdf(content, f"{number}.pdf")


async def invoice_file(request: Request) -> Response:
    return await _document(request, invoice_pdf, "invoice_id")


async def order_form_file(request: Request) -> Response:
    return await _document(request, order_form_pdf, "order_id")


async def credit_note_file(request: Request) -> Response:
    return await _document(request, credit_note_pdf, "note_id")


async def personal_data_file(request: Request) -> Response:
    """Everything o2portal holds about the signed-in customer (GDPR), as a JSON file:
    whose data it is comes from the session cookie only."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    try:
        content = await run_in_threadpool(personal_data.export_json, user.actor)
    except NotAllowed:
        return Response(status_code=403)  # staff acting as the customer
    await run_in_threadpool(personal_data.record_export, user.customer.id, ip=client_ip(request))
    stamp = clock.today().isoformat()
    return _no_store(
        Response(
            content,
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="o2portal-mes-donnees-{stamp}.json"',
                "X-Content-Type-Options": "nosniff",
            },
        )
    )


async def attachment_file(request: Request) -> Response:
    """A ticket attachment, for the ticket's owner (never one on an internal note) and
    staff; anyone else gets the same 404. Always sent as a plain-text download, so a file
    that holds HTML or script is never run by the browser."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    row_id = _row_id(request, "attachment_id")
    if row_id is None:
        return Response(status_code=404)
    try:
        path, filename = await run_in_threadpool(tickets.attachment_for, user.customer.id, row_id)
    except NotAllowed:
        return Response(status_code=404)
    content = await run_in_threadpool(path.read_bytes)
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return _no_store(
        Response(
            content,
            media_type="text/plain; charset=utf-8",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="{ascii_name}"; '
                    f"filename*=UTF-8''{quote(filename, safe='')}"
                ),
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )
    )


def _pem(text: str, filename: str) -> Response:
    return _no_store(
        Response(
            text.encode("ascii"),
            media_type="application/x-pem-file",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )
    )


async def certificate_file(request: Request) -> Response:
    """An SSL certificate, its chain or both, in PEM: for the certificate's owner and
    staff; anyone else gets the same 404 as for a missing one."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    row_id = _row_id(request, "product_id")
    if row_id is None:
        return Response(status_code=404)
    try:
        filename, text = await run_in_threadpool(
            certificates.certificate_file, user.customer, row_id, request.path_params["what"]
        )
    except certificates.FileNotFound:
        return Response(status_code=404)
    return _pem(text, filename)


async def certificate_key_file(request: Request) -> Response:
    """The private key the portal made, once, to the certificate's owner themselves (not
    to staff, even acting as them): the download erases it. Only from our own pages, so
    that a link on another site cannot spend the one download."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    row_id = _row_id(request, "product_id")
    if row_id is None or user.impersonator_id is not None:
        return Response(status_code=404)
    if not from_this_site(request):
        return _no_store(Response(status_code=403))
    try:
        filename, text = await run_in_threadpool(
            certificates.take_private_key, user.customer, row_id, ip=client_ip(request)
        )
    except certificates.FileNotFound:
        return Response(status_code=404)
    return _pem(text, filename)


def _month(text: str) -> tuple[int, int] | None:
    """'2026-11' → (2026, 11), when it is one of the months the report offers."""
    year, _, month = text.partition("-")
    if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    wanted = (int(year[:4]), int(month[:2]))
    return wanted if wanted in report_months() else None


def _make_export(what: str, user, request: Request) -> exports.Export | None:
    """The export asked for, audited, or None when there is none by that name (or the
    month of the VAT report is not one it offers)."""
    lang = user.customer.language
    ip = client_ip(request)
    # Looked up only: what no one types (NUL, bidi controls…) is dropped, as the doors of
    # the pages' handlers drop it.
    query = without_controls(request.query_params.get("q", ""))[:100]
    if what == "invoices":
        return exports.export_invoices(user.actor, query, lang, ip=ip)
    if what == "credit-notes":
        return exports.export_credit_notes(user.actor, lang, ip=ip)
    if what == "customers":
        return exports.export_customers(user.actor, query, lang, ip=ip)
    if what == "vat":
        month = _month(request.query_params.get("month", ""))
        return exports.export_vat_report(user.actor, *month, lang, ip=ip) if month else None
    return None


async def export_file(request: Request) -> Response:
    """A staff export as a CSV file, sent as it is written: invoices, credit notes and
    customers for staff, the VAT report for admins. Anyone else (a customer, staff acting
    as one, support asking for the VAT report) gets the same 404 as a file that does not
    exist; no session gets 401. Only from our own pages: a link on another site does not
    start an export (each one is audited)."""
    user = await run_in_threadpool(_who, request)
    if user is None:
        return Response(status_code=401)
    if not from_this_site(request):
        return _no_store(Response(status_code=403))
    try:
        made = await run_in_threadpool(_make_export, request.path_params["what"], user, request)
    except NotAllowed:
        made = None
    if made is None:
        return Response(status_code=404)
    return _no_store(
        StreamingResponse(
            made.chunks,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{made.filename}"',
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )
    )


# The card fields as JSON: a few hundred bytes.
MAX_CARD_BODY = 2048


async def card_token(request: Request) -> Response:
    """The built-in card gateway's own endpoint, where the pay forms' script posts the card
    fields (as a real provider's script posts to the provider): the card is checked and
    tokenized here, and only the token goes on to the portal's handlers, never the
    number. Our pages only; an answer is never cached."""
    if not from_this_site(request):
        return _no_store(Response(status_code=403))
    # Only a signed-in customer pays: nobody else gets a card checked or stored.
    if await run_in_threadpool(_who, request) is None:
        return _no_store(Response(status_code=401))
    length = request.headers.get("content-length", "")
    if not (length.isascii() and length.isdigit()) or int(length) > MAX_CARD_BODY:
        return _no_store(Response(status_code=413))
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _no_store(JSONResponse({"errors": {"card_number": "error.card_number"}}, 400))
    fields = {name: str(body.get(name) or "")[:100] for name in CARD_FIELDS}
    try:
        token = await run_in_threadpool(tokenize_fields, fields)
    except InvalidInput as exc:
        return _no_store(JSONResponse({"errors": exc.errors}, 422))
    except GatewayTimeout:
        return _no_store(JSONResponse({"errors": {"card_number": "error.gateway_down"}}, 503))
    return _no_store(
        JSONResponse({"token": token.token, "brand": token.brand, "last4": token.last4})
    )


# Reflex's /_upload reads the whole request before a handler sees it: a ticket message
# takes three files of 1 MB at most, so anything far larger is refused at the door.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024


def limit_uploads(app: ASGIApp) -> ASGIApp:
    """ASGI wrapper: an upload must say its size (Content-Length) and stay under
    MAX_UPLOAD_BYTES, or it gets 411 / 413 before any byte is read."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith("/_upload"):
            length = dict(scope.get("headers") or []).get(b"content-length", b"")
            status = None
            if not length.isdigit():
                status = 411
            elif int(length) > MAX_UPLOAD_BYTES:
                status = 413
            if status is not None:
                await Response(status_code=status)(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


def _security_headers() -> list[tuple[bytes, bytes]]:
    """What every HTTP response says about itself, pages included. Reflex's pages need
    inline scripts (the router's hydration data), eval (rx.call_script, which the sign-in
    uses to reach /auth/session) and inline styles (Radix), so those are allowed; nothing
    foreign is, and no other site may frame a page (clickjacking). The websocket goes to
    the portal's own address (rxconfig api_url)."""
    base = get_settings().base_url.rstrip("/")
    socket = "ws" + base.removeprefix("http")
    policy = "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {base} {socket}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    ]


def security_headers(app: ASGIApp) -> ASGIApp:
    """ASGI wrapper: the headers above on every HTTP response that does not set them."""
    headers = _security_headers()

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers


def build_routes() -> Starlette:
    return Starlette(
        routes=[
            Route("/auth/session", start_session, methods=["GET"]),
            Route("/auth/logout", end_session, methods=["POST"]),
            Route("/files/invoices/{invoice_id:int}.pdf", invoice_file, methods=["GET"]),
            Route("/files/credit-notes/{note_id:int}.pdf", credit_note_file, methods=["GET"]),
            Route("/files/order-forms/{order_id:int}.pdf", order_form_file, methods=["GET"]),
            Route("/files/my-data.json", personal_data_file, methods=["GET"]),
            Route("/files/attachments/{attachment_id:int}", attachment_file, methods=["GET"]),
            Route(
                "/files/certificates/{product_id:int}/key.pem",
                certificate_key_file,
                methods=["GET"],
            ),
            Route(
                "/files/certificates/{product_id:int}/{what:str}.pem",
                certificate_file,
                methods=["GET"],
            ),
            Route("/files/exports/{what:str}.csv", export_file, methods=["GET"]),
            Route("/gateway/v1/tokens", card_token, methods=["POST"]),
        ]
    )
