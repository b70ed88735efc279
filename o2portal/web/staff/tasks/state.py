"""Staff: the calls to the registrar and the panel still waiting (or all of them), sent
again now by support or admins, closed by an admin with a reason."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, translated
from o2portal.web.session import language_of, load_staff, staff_of


class AdminTasksState(rx.State):
    show: str = "pending"
    rows: list[dict[str, str]] = []
    selected: str = ""  # the task an admin is closing
    message: str = ""
    errors: dict[str, str] = {}
    busy: bool = False
    can_close: bool = False  # an admin: shows the closing buttons (the door checks again)

    async def _fill(self) -> None:
        user, lang = await load_staff(self)
        found = await asyncio.to_thread(domain.provider_tasks, user.actor, show=self.show)
        self.can_close = user.actor.role == "admin"
        self.rows = [
            {
                "id": str(task.id),
                "action": translate(f"tasks.action_{task.action}", lang),
                "product": product.name,
                "product_id": str(product.id),
                "customer_id": str(product.customer_id),
                "status_code": task.status,
                "status": translate(f"tasks.status_{task.status}", lang),
                "attempts": str(task.attempts),
                "next": formatting.moment(task.next_attempt_at, lang)
                if task.status == "pending"
                else formatting.moment(task.done_at, lang),
                "error": task.last_error or "",
                "created": formatting.moment(task.created_at, lang),
            }
            for task, product in found
        ]

    @rx.event
    async def load(self):
        self.selected, self.message, self.errors = "", "", {}
        await self._fill()

    @rx.event
    async def set_show(self, value: str):
        self.show = value if value in domain.TASK_FILTERS else "pending"
        self.selected = ""
        await self._fill()

    @rx.event
    async def retry(self, task_id: str):
        """Send the task now; what became of it is said above the table."""
        user = await staff_of(self)
        lang = await language_of(self)
        if self.busy:
            return
        self.busy, self.message, self.errors = True, "", {}
        yield
        try:
            outcome = await asyncio.to_thread(
                domain.retry_task, user.actor, _task_id(task_id), ip=client_ip(self)
            )
            self.message = translate(f"tasks.retried_{outcome}", lang)
        except InvalidInput as exc:
            self.message = (await translated(self, exc.errors)).get("task", "")
        except NotAllowed:
            self.message = translate("error.form_stale", lang)
        finally:
            self.busy = False
        await self._fill()

    @rx.event
    def select(self, task_id: str):
        """Open the closing form of one waiting task of the list."""
        require_staff(self, roles=("admin",))
        self.errors, self.message = {}, ""
        found = any(r["id"] == task_id and r["status_code"] == "pending" for r in self.rows)
        self.selected = task_id if found else ""

    @rx.event
    async def close_task(self, form: dict):
        user = await staff_of(self, ("admin",))
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        try:
            await asyncio.to_thread(
                domain.cancel_task,
                user.actor,
                _task_id(str(form.get("task", ""))),
                str(form.get("reason", ""))[:300],
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.errors = {"reason": translate("error.form_stale", lang)}
            return
        self.selected = ""
        self.message = translate("tasks.closed", lang)
        await self._fill()


def _task_id(text: str) -> int:
    """A task id as the page sent it; anything else names no task."""
    task_id = given_id(text)
    if not task_id:
        raise NotAllowed("no such task")
    return task_id
