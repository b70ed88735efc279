"""Invoice, credit note (avoir) and order form (bon de commande) PDFs, in French, with the
mandatory mentions.

Everything printed comes from the document itself and the snapshots frozen in it (seller and
customer identity as they were on the day of issue), never from the live customer record.
Amounts are integer cents formatted by `formatting.money`; nothing here does float arithmetic.

The built-in Helvetica font (WinAnsi encoding) covers French (é, è, à, ç, œ, €, « »); the few
characters it cannot draw (a Polish ł, a Czech ř…) are printed without their accent rather
than as a black box.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from babel import Locale
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from o2portal.billing.models import CreditNote, Invoice, InvoiceLine, Order, OrderLine, OrderStatus
from o2portal.core.formatting import day, formatted_iban, money

PAYMENT_METHOD_LABELS = {
    "card": "carte bancaire",
    "transfer": "virement",
    "cheque": "chèque",
    "credit": "crédit de compte",
}

LATE_PAYMENT_MENTIONS = (
    "Pénalités de retard : trois fois le taux d'intérêt légal. "
    "Indemnité forfaitaire pour frais de recouvrement : 40 €. "
    "Pas d'escompte pour paiement anticipé."
)

_NBSP = "\u00a0"
_FRENCH = Locale.parse("fr_FR")

# Layout.
_MARGIN = 18 * mm
_FRAME_PADDING = 6  # points, SimpleDocTemplate's default
_WIDTH = A4[0] - 2 * _MARGIN
_ACCENT = colors.HexColor("#1f3a5f")
_MUTED = colors.HexColor("#5f6b7a")
_RULE = colors.HexColor("#c9d1db")
_ZEBRA = colors.HexColor("#f3f5f8")
_COLUMNS = (84 * mm, 14 * mm, 30 * mm, 14 * mm, _WIDTH - 142 * mm)

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=12)
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=7.5, leading=10, textColor=_MUTED)
_LABEL = ParagraphStyle("label", parent=_SMALL, fontName="Helvetica-Bold", spaceAfter=2)
_TITLE = ParagraphStyle(
    "title", parent=_BASE, fontName="Helvetica-Bold", fontSize=22, leading=26,
    textColor=_ACCENT, alignment=TA_RIGHT, spaceAfter=4,
)  # fmt: skip
_LONG_TITLE = ParagraphStyle("long_title", parent=_TITLE, fontSize=16, leading=20)
_META = ParagraphStyle("meta", parent=_BASE, alignment=TA_RIGHT)
_CELL = ParagraphStyle("cell", parent=_BASE, leading=11)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold", textColor=colors.white)
_HEAD_RIGHT = ParagraphStyle("head_right", parent=_HEAD, alignment=TA_RIGHT)
_MENTION = ParagraphStyle("mention", parent=_BASE, fontName="Helvetica-Bold")


@dataclass(frozen=True)
class _Line:
    description: str
    quantity: int
    unit_price_ht_cents: int
    vat_rate_bp: int
    total_ht_cents: int


@dataclass(frozen=True)
class _Document:
    title: str  # FACTURE | AVOIR
    number: str
    issued_at: datetime
    seller: dict
    customer: dict
    lines: list[_Line]
    total_ht_cents: int
    total_vat_cents: int
    total_ttc_cents: int
    vat_rate_bp: int
    vat_mention: str | None
    references: list[str]  # under the title: "Avoir sur la facture …"
    notes: list[str]  # after the totals: payment, reason
    # A boxed block after the notes: how to pay an order form (bank details, cheque).
    payment: tuple[str, ...] = ()


# --- Public API ---------------------------------------------------------------------------


def render_invoice_pdf(invoice: Invoice, lines: list[InvoiceLine]) -> bytes:
    """The invoice as an A4 PDF, in French."""
    paid = f"Payée le {day(_aware(invoice.paid_at))} par {_method(invoice.payment_method)}."
    return _render(
        _Document(
            title="FACTURE",
            number=invoice.number,
            issued_at=invoice.issued_at,
            seller=_snapshot(invoice.seller_snapshot_json),
            customer=_snapshot(invoice.customer_snapshot_json),
            # An invoice line is printed as it stands.
            lines=[
                _Line(**{f.name: getattr(line, f.name) for f in fields(_Line)}) for line in lines
            ],
            total_ht_cents=invoice.total_ht_cents,
            total_vat_cents=invoice.total_vat_cents,
            total_ttc_cents=invoice.total_ttc_cents,
            vat_rate_bp=invoice.vat_rate_bp,
            vat_mention=invoice.vat_mention,
            references=[],
            notes=[paid],
        )
    )


def render_credit_note_pdf(note: CreditNote, invoice: Invoice) -> bytes:
    """The credit note (avoir) as an A4 PDF, in French, with the invoice it corrects."""
    on_invoice = f"Avoir sur la facture {invoice.number} du {day(_aware(invoice.issued_at))}"
    return _render(
        _Document(
            title="AVOIR",
            number=note.number,
            issued_at=note.issued_at,
            seller=_snapshot(invoice.seller_snapshot_json),
            customer=_snapshot(invoice.customer_snapshot_json),
            lines=_credit_lines(note.lines_json),
            total_ht_cents=note.total_ht_cents,
            total_vat_cents=note.total_vat_cents,
            total_ttc_cents=note.total_ttc_cents,
            vat_rate_bp=note.vat_rate_bp,
            vat_mention=invoice.vat_mention,
            references=[on_invoice],
            notes=[
                f"Motif : {note.reason}",
                f"Remboursement par {_method(note.refund_method)}.",
            ],
        )
    )


def render_order_form_pdf(
    order: Order, lines: list[OrderLine], *, reference: str, seller: dict, payment: dict
) -> bytes:
    """The order form (bon de commande) as an A4 PDF, in French: what was ordered, and
    while it is unpaid, how to pay it offline with the reference to quote. `seller` and
    `payment` are today's (an order form is not an invoice: nothing is frozen in it)."""
    notes = [
        "Ce bon de commande n'est pas une facture : la facture est émise à réception du paiement."
    ]
    block: tuple[str, ...] = ()
    if order.status == OrderStatus.PAID and order.paid_at is not None:
        notes.append(f"Réglé le {day(_aware(order.paid_at))}.")
    elif order.status == OrderStatus.UNPAID:
        methods = (
            [order.payment_method]
            if order.payment_method in ("transfer", "cheque")
            else [
                "transfer",
                "cheque",
            ]
        )
        block = tuple(payment_instruction_lines(methods, reference, payment))
    else:
        notes.append("Ce bon de commande a été annulé ; il n'est plus à régler.")
    return _render(
        _Document(
            title="BON DE COMMANDE",
            number=reference,
            issued_at=order.created_at,
            seller=seller,
            customer=_snapshot(order.billing_snapshot_json),
            lines=[
                _Line(**{f.name: getattr(line, f.name) for f in fields(_Line)}) for line in lines
            ],
            total_ht_cents=order.total_ht_cents,
            total_vat_cents=order.total_vat_cents,
            total_ttc_cents=order.total_ttc_cents,
            vat_rate_bp=order.vat_rate_bp,
            vat_mention=order.vat_mention,
            references=[],
            notes=notes,
            payment=block,
        )
    )


def payment_instruction_lines(methods: list[str], reference: str, payment: dict) -> list[str]:
    """How to pay an order form offline, in French, one line each (the PDF's block)."""
    lines = [f"Référence à indiquer : {reference}"]
    if "transfer" in methods:
        lines += [
            "Par virement :",
            f"Titulaire : {payment.get('holder', '')}",
            f"IBAN : {formatted_iban(payment.get('iban', ''))}",
            f"BIC : {payment.get('bic', '')} — Banque : {payment.get('bank', '')}",
        ]
    if "cheque" in methods:
        lines += [
            f"Par chèque à l'ordre de {payment.get('cheque_payee', '')}, "
            f"la référence au dos, envoyé à :",
            *str(payment.get("cheque_address", "")).splitlines(),
        ]
    return lines


def vat_rate(rate_bp: int) -> str:
    """2000 → '20 %', 550 → '5,5 %' (basis points in, French text out)."""
    whole, rest = divmod(rate_bp, 100)
    text = str(whole) if rest == 0 else f"{whole},{rest:02d}".rstrip("0")
    return f"{text}{_NBSP}%"


# --- Reading the stored document ---------------------------------------------------------


def _snapshot(raw: str | None) -> dict:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _credit_lines(raw: str | None) -> list[_Line]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    return [
        _Line(
            description=str(item.get("description", "")),
            quantity=int(item.get("quantity", 1)),
            unit_price_ht_cents=int(item.get("unit_price_ht_cents", 0)),
            vat_rate_bp=int(item.get("vat_rate_bp", 0)),
            total_ht_cents=int(item.get("total_ht_cents", 0)),
        )
        for item in items
        if isinstance(item, dict)
    ]


def _aware(value: datetime) -> datetime:
    """Stored datetimes are UTC; a naive one (built by hand) is read as UTC too."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _method(code: str | None) -> str:
    return PAYMENT_METHOD_LABELS.get(code or "", code or "")


def _country(code: str | None) -> str:
    if not code:
        return ""
    return _FRENCH.territories.get(code.upper(), code)


def _is_business(customer: dict) -> bool:
    return any(customer.get(key) for key in ("company_name", "siret", "vat_number"))


# --- Text that Helvetica (WinAnsi) can draw ----------------------------------------------

_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h"})


def _drawable(text: str) -> str:
    """Keep every WinAnsi character; strip accents the font lacks; '?' for the rest.

    Babel's narrow no-break space (thousands, before €) becomes a plain no-break space.
    """
    text = str(text).replace("\u202f", _NBSP).translate(_NO_DECOMPOSITION)
    out = []
    for char in text:
        if _encodable(char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(_encodable(c) for c in base) else "?")
    return "".join(out)


def _encodable(char: str) -> bool:
    if char in "\n\t":
        return True
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return unicodedata.category(char) != "Cc"


def _markup(text: str) -> str:
    return escape(_drawable(text))


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _block(lines: Iterable[str], style: ParagraphStyle, bold_first: bool = False) -> Paragraph:
    parts = [_markup(line) for line in lines if line]
    if bold_first and parts:
        parts[0] = f"<b>{parts[0]}</b>"
    return Paragraph("<br/>".join(parts), style)


# --- Layout ------------------------------------------------------------------------------


def _render(doc: _Document) -> bytes:
    buffer = io.BytesIO()
    seller_name = str(doc.seller.get("name") or "")
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        # The frame pads its content by 6 pt: the content spans exactly _MARGIN to _WIDTH.
        leftMargin=_MARGIN - _FRAME_PADDING,
        rightMargin=_MARGIN - _FRAME_PADDING,
        topMargin=_MARGIN - _FRAME_PADDING,
        bottomMargin=_MARGIN + 8 * mm - _FRAME_PADDING,
        title=_drawable(f"{doc.title.capitalize()} {doc.number}"),
        author=_drawable(seller_name),
        subject=_drawable(f"{doc.title.capitalize()} {doc.number}"),
        creator="o2portal",
        producer="o2portal",
        invariant=True,
    )
    footer = _drawable(
        " · ".join(
            part
            for part in (
                seller_name,
                f"SIRET {doc.seller.get('siret')}" if doc.seller.get("siret") else "",
                f"TVA {doc.seller.get('vat_number')}" if doc.seller.get("vat_number") else "",
            )
            if part
        )
    )
    number = _drawable(f"{doc.title.capitalize()} {doc.number}")

    def draw_footer(canvas, _template) -> None:
        canvas.saveState()
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.5)
        canvas.line(_MARGIN, _MARGIN + 4 * mm, A4[0] - _MARGIN, _MARGIN + 4 * mm)
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(_MUTED)
        canvas.drawString(_MARGIN, _MARGIN, footer)
        canvas.drawRightString(
            A4[0] - _MARGIN, _MARGIN, f"{number} · page {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    template.build(_story(doc), onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def _story(doc: _Document) -> list[Flowable]:
    story: list[Flowable] = [_header(doc), Spacer(1, 8 * mm), _parties(doc), Spacer(1, 8 * mm)]
    story.append(_lines_table(doc.lines))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([_totals(doc)]))
    story.append(Spacer(1, 5 * mm))
    if doc.vat_mention:
        story += [_para(doc.vat_mention, _MENTION), Spacer(1, 2 * mm)]
    for note in doc.notes:
        story.append(_para(note, _BASE))
    if doc.payment:
        story += [Spacer(1, 5 * mm), KeepTogether([_payment_box(doc.payment)])]
    if doc.title == "FACTURE" and _is_business(doc.customer):
        story += [Spacer(1, 6 * mm), _para(LATE_PAYMENT_MENTIONS, _SMALL)]
    return story


def _header(doc: _Document) -> Table:
    seller = doc.seller
    seller_lines = [
        str(seller.get("name") or ""),
        str(seller.get("legal_form") or ""),
        *str(seller.get("address") or "").splitlines(),
        f"SIRET : {seller['siret']}" if seller.get("siret") else "",
        f"N° TVA intracommunautaire : {seller['vat_number']}" if seller.get("vat_number") else "",
        str(seller.get("rcs") or ""),
    ]
    title = [
        Paragraph(_markup(doc.title), _TITLE if len(doc.title) <= 10 else _LONG_TITLE),
        _block(
            [
                f"N° {doc.number}",
                f"Date : {day(_aware(doc.issued_at))}",
                *doc.references,
            ],
            _META,
        ),
    ]
    table = Table(
        [[_block(seller_lines, _BASE, bold_first=True), title]],
        colWidths=(_WIDTH * 0.55, _WIDTH * 0.45),
    )
    table.setStyle(_plain_style())
    return table


def _parties(doc: _Document) -> Table:
    customer = doc.customer
    name = str(customer.get("name") or "")
    person = " ".join(
        str(customer.get(key) or "").strip() for key in ("first_name", "last_name")
    ).strip()
    company = str(customer.get("company_name") or "")
    city = " ".join(str(customer.get(key) or "").strip() for key in ("postal_code", "city")).strip()
    lines = [
        name,
        company if company and company != name else "",
        person if person and person not in (name, company) else "",
        str(customer.get("address_line1") or ""),
        str(customer.get("address_line2") or ""),
        city,
        _country(customer.get("country")),
        f"SIRET : {customer['siret']}" if customer.get("siret") else "",
        f"N° TVA : {customer['vat_number']}" if customer.get("vat_number") else "",
    ]
    box = Table(
        [[_para("CLIENT", _LABEL)], [_block(lines, _BASE, bold_first=True)]],
        colWidths=(_WIDTH * 0.45,),
    )
    box.setStyle(_BOXED)
    table = Table([["", box]], colWidths=(_WIDTH * 0.55, _WIDTH * 0.45))
    table.setStyle(_plain_style())
    return table


def _payment_box(lines: tuple[str, ...]) -> Table:
    box = Table(
        [[_para("RÈGLEMENT", _LABEL)], [_block(lines, _BASE, bold_first=True)]],
        colWidths=(_WIDTH,),
    )
    box.setStyle(_BOXED)
    return box


def _lines_table(lines: list[_Line]) -> Table:
    header = [
        _para("Description", _HEAD),
        _para("Qté", _HEAD_RIGHT),
        _para("Prix unitaire HT", _HEAD_RIGHT),
        _para("TVA", _HEAD_RIGHT),
        _para("Total HT", _HEAD_RIGHT),
    ]
    rows = [header]
    for line in lines:
        rows.append(
            [
                _para(line.description, _CELL),
                str(line.quantity),
                _drawable(money(line.unit_price_ht_cents)),
                _drawable(vat_rate(line.vat_rate_bp)),
                _drawable(money(line.total_ht_cents)),
            ]
        )
    table = Table(rows, colWidths=_COLUMNS, repeatRows=1)
    style = [
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
        ("BACKGROUND", (0, 0), (-1, 0), _ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, _RULE),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), _ZEBRA) for i in range(2, len(rows), 2)]
    table.setStyle(TableStyle(style))
    return table


def _totals(doc: _Document) -> Table:
    rows = [
        ["Total HT", _drawable(money(doc.total_ht_cents))],
        [_drawable(f"TVA ({vat_rate(doc.vat_rate_bp)})"), _drawable(money(doc.total_vat_cents))],
        ["Total TTC", _drawable(money(doc.total_ttc_cents))],
    ]
    widths = (_COLUMNS[-1] + 22 * mm, _COLUMNS[-1])
    totals = Table(rows, colWidths=widths)
    totals.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 10.5),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, _ACCENT),
                ("TOPPADDING", (0, -1), (-1, -1), 6),
                ("TEXTCOLOR", (0, -1), (-1, -1), _ACCENT),
            ]
        )
    )
    table = Table([["", totals]], colWidths=(_WIDTH - sum(widths), sum(widths)))
    table.setStyle(_plain_style())
    return table


# A labelled box: the customer's block, the order form's payment block.
_BOXED = TableStyle(
    [
        ("BOX", (0, 0), (-1, -1), 0.6, _RULE),
        ("BACKGROUND", (0, 0), (-1, -1), _ZEBRA),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ("TOPPADDING", (0, 1), (-1, -1), 0),
    ]
)


def _plain_style() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
