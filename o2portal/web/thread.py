"""What the customer's and the staff's ticket pages share: the message rows, the reply
form (Markdown text, preview, text attachments; each state says who may use it), the
fields of a thread, and the loop that keeps an open thread up to date."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import re
import time
import uuid

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.core import formatting
from o2portal.core.db import one_read
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.support import tickets
from o2portal.web import live
from o2portal.web.guards import AuthRequired, Forbidden, client_ip
from o2portal.web.helpers import translated
from o2portal.web.session import language_of, show_user

# A live page is told of news (web/live.py); it looks for itself this often in case a
# notice was missed, and watches for at most WATCH_SECONDS.
CHECK_SECONDS = 60.0
# A page reads its news this long after they are announced, not at once.
NEWS_SETTLE_SECONDS = 0.05
WATCH_SECONDS = 2 * 3600
# The same text sent again from the same form within this delay is the same message.
REPEAT_SECONDS = 120
# How late the field's report of a text just sent may come (its debounce is 300 ms).
LATE_ECHO_SECONDS = 3


@dataclasses.dataclass
class FileRow:
    id: str = ""
    name: str = ""
    size: str = ""


@dataclasses.dataclass
class MessageRow:
    id: str = ""
    author: str = ""
    when: str = ""
    body: str = ""
    staff: bool = False
    internal: bool = False
    files: list[FileRow] = dataclasses.field(default_factory=list)


def _message_count(version: str) -> int | None:
    """The count of messages in a thread's version (support.thread.thread_version's
    "last id:count:status"), or None for a page that has none yet."""
    parts = version.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def size_text(size: int) -> str:
    return f"{size / 1024:.1f} Ko" if size >= 1024 else f"{size} o"


def ticket_row(tk, lang: str) -> dict[str, str]:
    """A ticket as a row of a list (the customer's tickets, the staff queue)."""
    return {
        "id": str(tk.id),
        "ref": f"#{tk.id}",
        "subject": tk.subject,
        "department": translate(f"tickets.dept.{tk.department}", lang),
        "status": tk.status,
        "status_label": translate(f"status.{tk.status}", lang),
        "updated": formatting.moment(tk.updated_at, lang),
    }


def message_rows(view: tickets.TicketView, lang: str) -> list[MessageRow]:
    return [
        MessageRow(
            id=str(m.id),
            author=m.author_name,
            when=formatting.moment(m.created_at, lang),
            body=m.body,
            staff=m.is_staff,
            internal=m.is_internal,
            files=[FileRow(str(a.id), a.filename, size_text(a.size_bytes)) for a in m.attachments],
        )
        for m in view.messages
    ]


async def follow_thread(state, *, with_internal: bool) -> None:
    """The loop behind a live ticket page (a plain function: not callable by name), run by
    the page's `watch` background handler.

    Waits for the ticket's news (web/live.py: published after each commit that changes the
    thread, through Redis across workers) and reloads the page's vars when the thread's
    version has changed; without news it looks again every CHECK_SECONDS only, in case a
    notice was missed (Redis restarted). It lives as long as its page and no longer,
    through Reflex's public event API, without asking which tabs are connected:
    - the page's `load` returns `watch`, so the loop belongs to the page's load chain,
      which Reflex cancels when the tab goes to another page, reloads or reconnects, and
      when its websocket disconnects (the tab is closed); the cancellation reaches the
      loop at its next await;
    - `watch` is declared with supersedes=True: a second `watch` for the same tab
      cancels the first, so a tab never runs two loops.
    - `watch` is chained_only (web/doors.py): sent by name over the websocket, as a
      crafted client could, it is dropped at the socket before Reflex reads any state.
    It also stops when another ticket is shown, the session ends, or after WATCH_SECONDS.
    tests/state/test_live_thread.py runs it through Reflex's event processor."""
    async with state:
        generation, ticket_id, version = state._watch, state.ticket_id, state._version
    if not ticket_id:
        return
    deadline = time.monotonic() + WATCH_SECONDS
    with live.news(tickets.topic(ticket_id)) as news:
        while time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(news.wait(), timeout=CHECK_SECONDS)
                # The event that committed it (often this tab's own reply, still being
                # answered) ends first; news that come meanwhile are read with it.
                await asyncio.sleep(NEWS_SETTLE_SECONDS)
            news.clear()
            latest = await asyncio.to_thread(
                tickets.thread_version, ticket_id, with_internal=with_internal
            )
            if latest == version:
                continue
            async with state:
                if state._watch != generation or state.ticket_id != ticket_id:
                    return
                if state._version == latest:
                    # The page shows it already (its own reply): nothing to send again.
                    version = latest
                    continue
                try:
                    await state._fill(news_only=True)
                except (AuthRequired, Forbidden):
                    return
                version = state._version


class MessageComposer(rx.State, mixin=True):
    """A Markdown message with a preview and up to three text files."""

    body: str = ""
    compose_tab: str = "write"
    compose_key: int = 0
    staged: list[FileRow] = []
    compose_errors: dict[str, str] = {}
    sending: bool = False
    _submit_key: str = ""
    # The last message sent from this form: a second click on Send, queued behind the
    # first with the same text, reuses its key and so posts nothing new.
    _sent_digest: str = ""
    _sent_key: str = ""
    _sent_at: float = 0.0

    def _composer_user(self) -> CurrentUser:
        """Who may write here (the customer guard, or the staff guard)."""
        raise NotImplementedError

    async def _who(self) -> CurrentUser:
        """_composer_user, with its session query in a worker thread."""
        return await asyncio.to_thread(self._composer_user)

    def _reset_composer(self) -> None:
        self.body, self.compose_tab, self.compose_errors = "", "write", {}
        self.staged, self.sending = [], False
        self.compose_key += 1
        self._submit_key = uuid.uuid4().hex

    @rx.event
    def set_body(self, value: str):
        value = (value or "")[: tickets.BODY_MAX + 1]
        if self._late_echo(value):
            return
        self.body = value

    def _late_echo(self, value: str) -> bool:
        """The field reports what is typed a little later (its debounce): Send clicked
        sooner sends the text itself, and its report arrives after the form was emptied.
        That report of the text just sent must not put it back in the field."""
        return (
            not self.body
            and time.time() - self._sent_at < LATE_ECHO_SECONDS
            and hashlib.sha256(value.encode()).hexdigest() == self._sent_digest
        )

    @rx.event
    def set_compose_tab(self, value: str):
        self.compose_tab = "preview" if value == "preview" else "write"

    @rx.event
    async def stage_files(self, files: list[rx.UploadFile]):
        user = await self._who()
        errors: dict[str, str] = {}
        for upload in files or []:
            if len(self.staged) >= tickets.ATTACHMENTS_PER_MESSAGE:
                errors["attachments"] = "error.attachment_count"
                break
            content = await upload.read(tickets.ATTACHMENT_MAX_BYTES + 1)
            name = getattr(upload, "name", None) or getattr(upload, "filename", None) or ""
            try:
                staged_id = await asyncio.to_thread(
                    tickets.stage_attachment, user.customer.id, name, content
                )
            except InvalidInput as exc:
                errors.update(exc.errors)
                continue
            self.staged.append(
                FileRow(staged_id, tickets.clean_filename(name), size_text(len(content)))
            )
        self.compose_errors = await translated(self, errors)

    @rx.event
    def remove_file(self, staged_id: str):
        user = self._composer_user()
        tickets.discard_staged(user.customer.id, [staged_id])
        self.staged = [f for f in self.staged if f.id != staged_id]

    def _take_body(self, form: dict | None) -> str:
        """The text as the browser has it when sent (the typed value may still be on its
        way to the state: the field only reports every quarter second)."""
        if form and form.get("body"):
            self.body = str(form["body"])[: tickets.BODY_MAX + 1]
        return self.body

    def _key_for(self, body: str) -> str:
        digest = hashlib.sha256(body.encode()).hexdigest()
        if digest == self._sent_digest and time.time() - self._sent_at < REPEAT_SECONDS:
            return self._sent_key
        return self._submit_key

    def _staged_files(self, user: CurrentUser) -> list[tickets.NewAttachment]:
        return tickets.staged_attachments(user.customer.id, [(f.id, f.name) for f in self.staged])

    def _sent(self, user: CurrentUser, key: str) -> None:
        self._sent_digest = hashlib.sha256(self.body.encode()).hexdigest()
        self._sent_key, self._sent_at = key, time.time()
        tickets.discard_staged(user.customer.id, [f.id for f in self.staged])
        self._reset_composer()


class ThreadFields(rx.State, mixin=True):
    """What both thread pages (the customer's and the staff's) show of a ticket, and what
    they do alike: open the ticket named by the path, post a message, close or reopen it.
    Mixed in with MessageComposer; `_composer_user` is the page's guard and `_fill` shows
    the ticket for the caller (the customer's own, or any for staff)."""

    found: bool = True
    ticket_id: int = 0
    ref: str = ""
    subject: str = ""
    status: str = ""
    status_label: str = ""
    department: str = ""
    priority: str = ""
    product: str = ""
    product_id: str = ""  # the product the ticket is about, for a link to it
    # The thread as three lists: `earlier`, the older pages the reader asked for;
    # `messages`, those shown on opening; `recent`, those that came since. A reply or a new
    # message changes `recent` only, so what goes to the browser is the news, whatever
    # the thread's length (a list var is sent whole when it changes).
    messages: list[MessageRow] = []
    recent: list[MessageRow] = []
    earlier: list[MessageRow] = []
    has_earlier: bool = False
    _window_start: int = 0
    _opened_through: int = 0
    _version: str = ""
    _watch: int = 0

    def _show_ticket(
        self, view: tickets.TicketView, lang: str, *, news_only: bool, added: bool = False
    ) -> None:
        """Show the ticket's facts and the messages of `view`: the whole window read
        (those shown on opening and those since), or with news_only the messages since
        the opening only (what _fill read with news_only); with `added`, only the
        messages after the last one shown, put after it."""
        ticket = view.ticket
        self.found = True
        self.ref, self.subject = f"#{ticket.id}", ticket.subject
        self.status = ticket.status
        self.status_label = translate(f"status.{ticket.status}", lang)
        self.department = translate(f"tickets.dept.{ticket.department}", lang)
        self.priority = translate(f"tickets.priority.{ticket.priority}", lang)
        self.product = view.product_name or ""
        self.product_id = str(ticket.product_id or "")
        rows = message_rows(view, lang)
        if added:
            if rows:
                self.recent = [*self.get_value("recent"), *rows]
            return
        if view.messages and not self._window_start:
            self._window_start = view.messages[0].id
            self._opened_through = view.messages[-1].id
        since = [r for r in rows if int(r.id) > self._opened_through]
        # Only a list that changed goes to the browser again.
        if since != self.get_value("recent"):
            self.recent = since
        if news_only:
            return
        opened = [r for r in rows if int(r.id) <= self._opened_through]
        if opened != self.get_value("messages"):
            self.messages = opened
        if not self.earlier:
            self.has_earlier = view.has_earlier

    def _thread(self, user: CurrentUser, window: tickets.Window) -> tickets.TicketView:
        """The ticket as the caller may see it, the messages of `window` (NotAllowed if
        not at all)."""
        raise NotImplementedError

    def _with_internal(self) -> bool:
        """Whether the page shows staff's internal notes."""
        raise NotImplementedError

    def _show_more(self, view: tickets.TicketView, user: CurrentUser) -> None:
        """What the page shows beside the thread."""

    def _reader(self, *, news_only: bool):
        """(news_only as it applies, read): read(user) reads the ticket for `user` in a
        worker thread, as (version, view, added), or None if they may not see it.

        news_only (a reply, a live page's news): the messages after the last one shown
        (`added`), whatever the thread's length and however many came since the page
        opened. The thread's version counts its messages: when the count is not the one
        shown plus those found after it, a message came in out of order (a writer that
        took its id first and committed last), and the news are read again from the
        page's opening, as a whole."""
        news_only = news_only and bool(self._opened_through)
        start = self._opened_through + 1 if news_only else self._window_start
        # The news leave `has_earlier` as the opening found it: not asked again.
        window = tickets.Window(since_id=start or None, earlier=not news_only)
        shown = _message_count(self._version) if news_only else None
        after = int(self.recent[-1].id) if self.recent else self._opened_through
        with_internal = self._with_internal()

        def read(user: CurrentUser) -> tuple[str, tickets.TicketView, bool] | None:
            # The version first, then the thread: a message committed between the two
            # reads makes the version older than what is shown, and the page looks again;
            # read the other way round, the page would miss that message for good. Both
            # on one connection (one_read).
            try:
                with one_read():
                    version = tickets.thread_version(self.ticket_id, with_internal=with_internal)
                    view, added = None, False
                    if shown is not None:
                        view = self._thread(user, tickets.Window(since_id=after + 1, earlier=False))
                        added = _message_count(version) == shown + len(view.messages)
                    if not added:
                        view = self._thread(user, window)
                    self._show_more(view, user)
            except NotAllowed:
                return None
            return version, view, added

        return news_only, read

    async def _shown(
        self,
        user: CurrentUser,
        found: tuple[str, tickets.TicketView, bool] | None,
        news_only: bool,
    ) -> None:
        """Show what `_reader` read (None: the caller may not see the ticket)."""
        await show_user(self, user)
        if found is None:
            self._not_found()
            return
        version, view, added = found
        lang = await language_of(self)
        self._show_ticket(view, lang, news_only=news_only, added=added)
        self._version = version

    async def _fill(self, user: CurrentUser | None = None, *, news_only: bool = False) -> None:
        """Read the ticket again and show it: the caller (when not given) and the ticket
        in one worker thread."""
        news_only, read = self._reader(news_only=news_only)

        def resolve_then_read():
            who = user or self._composer_user()
            return who, read(who)

        who, found = await asyncio.to_thread(resolve_then_read)
        await self._shown(who, found, news_only)

    def _not_found(self) -> None:
        self.found, self.messages, self.earlier, self.recent = False, [], [], []

    @rx.event
    async def show_earlier(self):
        """The page of messages before the oldest one shown."""
        user = await self._who()
        lang = await language_of(self)
        oldest = int(self.earlier[0].id) if self.earlier else self._window_start
        if not oldest:
            return
        try:
            view = await asyncio.to_thread(self._thread, user, tickets.Window(before_id=oldest))
        except NotAllowed:
            self._not_found()
            return
        self.earlier = message_rows(view, lang) + self.earlier
        self.has_earlier = view.has_earlier

    async def _open(self, path_id: re.Pattern) -> bool:
        """Show the ticket whose id ends the page's path; whether the caller may see it
        (then the page watches it live)."""
        match = path_id.search(self.router.url.path or "")
        self.ticket_id = int(match.group(1)) if match else 0
        self.earlier, self.has_earlier, self._window_start = [], False, 0
        self.recent, self._opened_through = [], 0
        self._reset_composer()
        await self._fill()
        if self.found:
            self._watch += 1
        return self.found

    async def _post(self, form: dict | None, post) -> CurrentUser | None:
        """Post the composed message once, however often the form is sent:
        post(user, body, files, key) writes it. The poster, the writing and then the
        news (the message posted and any since the page opened, never the whole thread
        again) are read in one worker thread, and the news shown. The poster, or None
        when nothing was posted."""
        if self.sending:
            return None
        self.sending = True
        body = self._take_body(form)
        key = self._key_for(body)
        news_only, read = self._reader(news_only=True)

        def write_then_read():
            user = self._composer_user()
            post(user, body, self._staged_files(user), key)
            self._sent(user, key)
            return user, read(user)

        try:
            user, found = await asyncio.to_thread(write_then_read)
        except InvalidInput as exc:
            self.compose_errors = await translated(self, exc.errors)
            return None
        except NotAllowed:
            self._not_found()
            return None
        finally:
            self.sending = False
        await self._shown(user, found, news_only)
        return user

    async def _change(self, rule) -> None:
        """Close or reopen the ticket by a rule of support.tickets, then show it again."""
        user = await self._who()
        try:
            await asyncio.to_thread(rule, user.customer.id, self.ticket_id, ip=client_ip(self))
        except NotAllowed:
            self._not_found()
            return
        await self._fill(user)
