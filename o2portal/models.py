"""Every table, imported here so that Alembic's metadata is complete. Code imports a
table from its subject's models module, never from here."""

from o2portal.accounts.models import (
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
from o2portal.billing.models import (
    CreditLedgerEntry,
    CreditNote,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Order,
    OrderLine,
    Payment,
)
from o2portal.catalog.models import HostingOffer, PromoCode, ServerModel, TldPrice
from o2portal.content.models import Announcement, FaqEntry
from o2portal.core.models import ActionReceipt, AuditEvent, Setting
from o2portal.integrations.models import (
    GatewayCard,
    GatewayCharge,
    ProvisionedAccount,
    RegistryDomain,
)
from o2portal.jobs.models import JobLease
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product, ReminderSent
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage

__all__ = [
    "ActionReceipt",
    "Announcement",
    "AuditEvent",
    "AuthAttempt",
    "CreditLedgerEntry",
    "CreditNote",
    "Customer",
    "EmailVerification",
    "FaqEntry",
    "GatewayCard",
    "GatewayCharge",
    "HostingOffer",
    "Invoice",
    "InvoiceLine",
    "JobLease",
    "LoginTicket",
    "NumberSequence",
    "Order",
    "OrderLine",
    "OutboxEmail",
    "PasswordReset",
    "Payment",
    "PendingEmailChange",
    "Product",
    "PromoCode",
    "ProvisionedAccount",
    "RecoveryCode",
    "RegistryDomain",
    "ReminderSent",
    "SavedCard",
    "ServerModel",
    "Setting",
    "Ticket",
    "TicketAttachment",
    "TicketMessage",
    "TldPrice",
    "UserSession",
]
