"""Who acts: one `Actor` (the person, their role, on whose behalf) that every door checks.

The web guard builds it once per event from the session cookie (a disabled account, an
expired or revoked session never gets one); the command line and the jobs build their
own. A door never takes a bare customer or staff id to re-validate: it takes an Actor
and asks it for what it may do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from o2portal.core.errors import NotAllowed


class Role(StrEnum):
    CUSTOMER = "customer"
    SUPPORT = "support"
    ADMIN = "admin"


STAFF_ROLES = (Role.SUPPORT, Role.ADMIN)
ADMIN_ONLY = (Role.ADMIN,)


@dataclass(frozen=True)
class Actor:
    id: int  # the person acting
    role: Role
    # Staff acting as a customer: the staff member behind this customer's session.
    on_behalf_of: int | None = None

    @classmethod
    def of(cls, person, *, on_behalf_of: int | None = None) -> Actor:
        """The Actor of a person row (a customer or staff member). A disabled or deleted
        account gets none: it can no longer act, whatever it still holds."""
        if person is None or person.disabled_at is not None or person.deleted_at is not None:
            raise NotAllowed("this account may not act")
        return cls(person.id, Role(person.role), on_behalf_of)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def staff(self, roles: tuple[Role, ...] = STAFF_ROLES) -> Actor:
        """This actor as a staff member with one of `roles`, or NotAllowed."""
        if self.role not in roles:
            raise NotAllowed(f"{self.role} may not do this")
        return self

    def admin(self) -> Actor:
        return self.staff(ADMIN_ONLY)
