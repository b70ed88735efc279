"""A minimal Socket.IO client for Reflex's event websocket, on asyncio and wsproto (the
shared virtualenv has no aiohttp, which python-socketio's asyncio client needs).

It speaks what the built frontend speaks (reflex_base/.templates/web/utils/state.js):
Engine.IO 4 over a websocket at /_event/?token=…, the namespace /_event joined with the
hydrate event in the CONNECT packet, then `["event", {name, payload, router_data}]` up
and `["event", {delta, events}]` down. The session cookie rides on the upgrade request,
as the browser's does."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


class Closed(Exception):
    pass


class Client:
    def __init__(self, base_url: str, cookie: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.cookie = cookie
        self.token = str(uuid.uuid4())
        self.updates: asyncio.Queue = asyncio.Queue()
        self.closed = False
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task | None = None
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._connected = asyncio.Event()
        self._text: list[str] = []
        self.path = "/"

    async def connect(self, path: str, timeout: float = 30.0, hydrate: bool = True) -> float:
        """Open the socket and hydrate `path` (its on_load handlers run too); returns the
        seconds until the hydrate's first update (the page's state)."""
        self.path = path
        parts = urlsplit(self.base_url)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, parts.port), timeout
        )
        self._writer = writer
        headers = [(b"origin", self.base_url.encode()), (b"user-agent", b"o2bench")]
        if self.cookie:
            headers.append((b"cookie", self.cookie.encode()))
        writer.write(
            self._ws.send(
                Request(
                    host=parts.netloc,
                    target=f"{NAMESPACE}/?token={self.token}&EIO=4&transport=websocket",
                    extra_headers=headers,
                )
            )
        )
        await writer.drain()
        start = time.perf_counter()
        self._reader_task = asyncio.create_task(self._read(reader))
        boot = {"event": self._event(f"{ROOT_STATE}.hydrate_and_load", {})}
        if not hydrate:
            boot = {}
        await asyncio.wait_for(self._connected.wait(), timeout)
        self._send_text(f"40{NAMESPACE}," + json.dumps(boot))
        if hydrate:
            await self.wait_for(lambda d: "is_hydrated_rx_state_" in d.get(ROOT_STATE, {}), timeout)
        return time.perf_counter() - start

    def _event(self, name: str, payload: dict) -> dict:
        return {
            "name": name,
            "payload": payload,
            "router_data": {"pathname": self.path, "asPath": self.path},
        }

    def _send_text(self, text: str) -> None:
        if self.closed or self._writer is None:
            raise Closed("socket closed")
        self._writer.write(self._ws.send(Message(data=text)))

    def emit(self, name: str, payload: dict | None = None) -> None:
        self._send_text(f"42{NAMESPACE}," + json.dumps(["event", self._event(name, payload or {})]))

    async def wait_for(self, match, timeout: float = 30.0) -> dict:
        """The next update whose delta satisfies match(delta) (earlier ones are dropped)."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching update")
            update = await asyncio.wait_for(self.updates.get(), left)
            if update is None:
                raise Closed("socket closed")
            if match(update.get("delta") or {}):
                return update

    async def call(
        self, name: str, payload: dict | None, match, timeout: float = 30.0
    ) -> tuple[float, dict]:
        """Send one event; seconds until the update that match(delta) accepts."""
        while not self.updates.empty():
            self.updates.get_nowait()
        start = time.perf_counter()
        self.emit(name, payload)
        update = await self.wait_for(match, timeout)
        return time.perf_counter() - start, update

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                self._ws.receive_data(data)
                for event in self._ws.events():
                    if isinstance(event, AcceptConnection):
                        pass
                    elif isinstance(event, RejectConnection):
                        raise Closed(f"websocket refused: {event.status_code}")
                    elif isinstance(event, TextMessage):
                        self._text.append(event.data)
                        if event.message_finished:
                            self._packet("".join(self._text))
                            self._text = []
                    elif isinstance(event, Ping):
                        self._writer.write(self._ws.send(event.response()))
                    elif isinstance(event, CloseConnection):
                        return
        except (Closed, ConnectionError, OSError):
            pass
        finally:
            self.closed = True
            self.updates.put_nowait(None)

    def _packet(self, text: str) -> None:
        kind = text[:1]
        if kind == "0":  # Engine.IO open
            self._connected.set()
        elif kind == "2":  # ping
            self._writer.write(self._ws.send(Message(data="3")))
        elif text.startswith(f"42{NAMESPACE},"):
            name, *args = json.loads(text[len(NAMESPACE) + 3 :])
            if name == "event" and args:
                self.updates.put_nowait(args[0])
        elif text.startswith(f"44{NAMESPACE}"):
            self.closed = True
            self.updates.put_nowait(None)

    async def close(self) -> None:
        if self._writer is not None and not self.closed:
            try:
                self._writer.write(self._ws.send(CloseConnection(code=1000)))
                await self._writer.drain()
            except (ConnectionError, OSError, RuntimeError):
                pass
        self.closed = True
        if self._writer is not None:
            self._writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()


def substate(delta: dict, suffix: str) -> dict | None:
    """The delta of the substate whose name ends with `suffix` (e.g. "services_state")."""
    for key, value in delta.items():
        if key.endswith("." + suffix) or key.endswith("____" + suffix):
            return value
    return None


def has_var(suffix: str, var: str):
    """A match for wait_for/call: the update sets `var` of the substate `suffix`."""

    def match(delta: dict) -> bool:
        found = substate(delta, suffix)
        return found is not None and f"{var}_rx_state_" in found

    return match
