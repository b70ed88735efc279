"""Every table, imported here so that the metadata is complete."""

from o2portal.models.accounts import (
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
from o2portal.models.audit import ActionReceipt, AuditEvent
from o2portal.models.billing import (
    CreditLedgerEntry,
    CreditNote,
    GatewayCard,
    GatewayCharge,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Order,
    OrderLine,
    Payment,
)
from o2portal.models.catalog import (
    HostingOffer,
    PromoCode,
    ServerModel,
    Setting,
    TldPrice,
)
from o2portal.models.content import Announcement, FaqEntry
from o2portal.models.jobs import JobLease
from o2portal.models.mail import OutboxEmail
from o2portal.models.products import (
    Product,
    ProvisionedAccount,
    RegistryDomain,
    ReminderSent,
)
from o2portal.models.tickets import Ticket, TicketAttachment, TicketMessage

__all__ = [
    "Announcement",
    "ActionReceipt",
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
