"""Uploads are refused at the door when they are far larger than a ticket message allows."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from o2portal.web.routes import MAX_UPLOAD_BYTES, limit_uploads

received: list[int] = []


async def _upload(request):
    body = await request.body()
    received.append(len(body))
    return PlainTextResponse("stored")


def _client() -> TestClient:
    inner = Starlette(
        routes=[
            Route("/_upload", _upload, methods=["POST"]),
            Route("/other", _upload, methods=["POST"]),
        ]
    )
    return TestClient(limit_uploads(inner))


def test_an_upload_over_the_limit_is_refused_before_it_is_read():
    received.clear()
    client = _client()
    big = b"x" * (MAX_UPLOAD_BYTES + 1)
    response = client.post("/_upload", content=big)
    assert response.status_code == 413
    assert received == []


def test_an_upload_that_does_not_say_its_size_is_refused():
    received.clear()

    def chunks():
        yield b"a" * 10
        yield b"b" * 10

    response = _client().post("/_upload", content=chunks())
    assert response.status_code == 411
    assert received == []


def test_a_normal_upload_and_other_routes_go_through():
    received.clear()
    client = _client()
    assert client.post("/_upload", content=b"y" * 3_000_000).status_code == 200
    assert client.post("/other", content=b"z" * (MAX_UPLOAD_BYTES + 10)).status_code == 200
    assert received == [3_000_000, MAX_UPLOAD_BYTES + 10]
