"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 that keeps what it receives.

Usage::

    from tests.smtp_server import SmtpSink

    sink = SmtpSink()              # picks a free port; SmtpSink(port=2525) for a fixed one
    sink.start()                   # listening on sink.host:sink.port (in a thread)
    ...                            # point O2PORTAL_SMTP_HOST / O2PORTAL_SMTP_PORT at it
    msg = sink.wait_for(lambda m: m["To"] == "jean@example.com", timeout=10)
    text = SmtpSink.text_of(msg)   # the text/plain body as str, "\n" line ends
    sink.stop()

    with SmtpSink() as sink:       # same, stopped at the end of the block
        ...

What it offers:

- ``messages``: list of ``email.message.EmailMessage`` (``policy.default``: headers
  such as ``Subject`` come back decoded), in arrival order.
- ``envelopes``: list of ``Received`` (``mail_from``, ``rcpt_tos``, ``message``), the
  SMTP envelope of each message.
- ``reject``: set of addresses (lower case) refused at ``RCPT TO`` with
  ``550 mailbox unavailable`` (a permanent failure, like a bounce); it may be changed
  while the server runs.
- ``SmtpSink(auth=("user", "secret"))``: the server then requires ``AUTH`` (PLAIN or
  LOGIN, without TLS) with exactly these credentials, and answers ``535`` otherwise.
- ``wait_for(predicate, timeout)``: the first message for which ``predicate(message)``
  is true, waiting up to ``timeout`` seconds; raises ``TimeoutError`` otherwise.
- ``clear()``: forget what was received.
- ``free_port()``: a TCP port nothing listens on (e.g. to test a refused connection,
  then ``SmtpSink(port=that_port).start()`` later).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

REFUSAL = "550 mailbox unavailable"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.sink.reject:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = message_from_bytes(raw, policy=policy.default)
        self.sink._store(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpSink:
    """A local SMTP server that stores every message it accepts (see the module doc)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        reject: Iterable[str] = (),
        auth: tuple[str, str] | None = None,
    ):
        self.host = host
        self.port = port or free_port(host)
        self.reject: set[str] = {address.lower() for address in reject}
        self.auth = auth
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Received] = []
        self._lock = threading.Condition()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        if self._controller is None:
            options = {}
            if self.auth is not None:
                options = {
                    "auth_required": True,
                    "auth_require_tls": False,
                    "authenticator": self._authenticate,
                }
            self._controller = Controller(
                _Handler(self), hostname=self.host, port=self.port, **options
            )
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        good = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == tuple(self.auth)
        return AuthResult(success=good, handled=False)

    def _store(self, received: Received) -> None:
        with self._lock:
            self.envelopes.append(received)
            self.messages.append(received.message)
            self._lock.notify_all()

    def clear(self) -> None:
        with self._lock:
            self.envelopes.clear()
            self.messages.clear()

    def wait_for(
        self, predicate: Callable[[EmailMessage], bool], timeout: float = 10.0
    ) -> EmailMessage:
        """The first received message matching `predicate`, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    subjects = [m["Subject"] for m in self.messages]
                    raise TimeoutError(f"no matching message within {timeout}s; got {subjects}")
                self._lock.wait(left)

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        """The text/plain body of a received message, with "\n" line ends (SMTP uses CRLF)."""
        part = message.get_body(preferencelist=("plain",))
        return (part or message).get_content().replace("\r\n", "\n")
