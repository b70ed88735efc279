"""Every table, imported here so that Alembic's metadata is complete. Code imports a
table from its subject's models module, never from here."""

from o2portal.accounts.models import (  # noqa: F401
    AuthAttempt,
    Customer,
    EmailVerification,
    LoginTicket,
    PasswordReset,
    PendingEmailChange,
    RecoveryCode,
    SavedCard,
    UserSession,
)
from o2portal.catalog.models import HostingOffer, PromoCode, ServerModel, TldPrice  # noqa: F401
from o2portal.content.models import Announcement, FaqEntry  # noqa: F401
from o2portal.core.models import ActionReceipt, AuditEvent, Setting  # noqa: F401
from o2portal.jobs.models import JobLease  # noqa: F401
from o2portal.mail.models import OutboxEmail  # noqa: F401
from o2portal.products.models import Product, ReminderSent  # noqa: F401
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage  # noqa: F401
