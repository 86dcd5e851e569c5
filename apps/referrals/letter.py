"""The printable referral letter: one A4 page in Ukrainian that the person takes to the
receiving organisation, or that is sent with the referral.

The letter is set in Source Sans Pro (shipped as the pip package ``font-source-sans-pro``, so
nothing has to be installed on the server) because the PDF standard fonts have no Cyrillic.
It holds what the receiver needs and nothing more: the referral's shared data (name, contact
only when the person agreed to share it, need, note), the service, the deadlines and the
reference number to quote.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

import font_source_sans_pro
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.directory import selectors as directory

from .rules import HUB_TIME_ZONE

REGULAR = "ProstirSans"
BOLD = "ProstirSans-Bold"


@dataclass(frozen=True)
class LetterData:
    reference: str
    issued_on: date
    hub_name: str
    hub_address: str
    hub_contact: str
    person_name: str
    person_contact: str  # empty when the person did not agree to share it
    need: str
    service_name: str
    organisation_name: str
    service_address: str
    service_contact: str
    note: str
    respond_by: date | None
    complete_by: date | None
    specialist_name: str
    specialist_contact: str


def _published_places(organisation):
    """Where the organisation gives published services: the receiver's staff-only places (a
    shelter's address, say) do not travel with the letter; the sending hub's own address is
    printed in any case (published places first)."""
    return organisation.locations.filter(
        pk__in=directory.public_location_ids(organisation=organisation)
    ).select_related("settlement")


def _place(locations) -> str:
    location = next(iter(locations), None)
    if location is None:
        return ""
    return f"{location.settlement.name}, {location.address}"


def _contact(*holders) -> str:
    """Phone and e-mail of the first holder that has any."""
    for holder in holders:
        parts = [getattr(holder, "phone", ""), getattr(holder, "email", "")]
        if any(parts):
            return ", ".join(p for p in parts if p)
    return ""


def letter_data(referral) -> LetterData:
    """What the letter of a referral says: only what the referral shares with its receiver."""
    hub, service = referral.sender_organisation, referral.service
    receiver = referral.receiver_organisation
    author = referral.created_by
    with translation.override("uk"):
        return LetterData(
            reference=referral.reference,
            issued_on=localtime(referral.sent_at or referral.created_at, HUB_TIME_ZONE).date(),
            hub_name=hub.name,
            hub_address=_place([*_published_places(hub), *hub.locations.all()]),
            hub_contact=_contact(hub),
            person_name=referral.shared_name,
            person_contact=referral.shared_contact,
            need=referral.need.name,
            service_name=service.name,
            organisation_name=receiver.name,
            service_address=_place([*service.locations.all(), *_published_places(receiver)]),
            service_contact=_contact(service, receiver),
            note=referral.note,
            respond_by=referral.respond_by,
            complete_by=referral.complete_by,
            specialist_name=(author.get_full_name() or author.get_username()) if author else "",
            specialist_contact=author.email if author else "",
        )


@cache
def _register_fonts() -> None:
    files = font_source_sans_pro.font_files_ttf
    pdfmetrics.registerFont(TTFont(REGULAR, files["SourceSansPro"]))
    pdfmetrics.registerFont(TTFont(BOLD, files["SourceSansProBold"]))


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=14.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20),
        "label": ParagraphStyle("label", parent=body, fontName=BOLD),
    }


def _text(value: str) -> str:
    """Text as a Paragraph takes it: markup characters escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _rows(data: LetterData) -> list[tuple[str, str]]:
    rows = [
        (
            _("Направляє"),
            "\n".join(filter(None, [data.hub_name, data.hub_address, data.hub_contact])),
        ),
        (_("Особа"), data.person_name),
    ]
    if data.person_contact:
        rows.append((_("Контакт особи"), data.person_contact))
    rows += [
        (_("Потреба"), data.need),
        (
            _("Послуга"),
            "\n".join(
                filter(
                    None,
                    [
                        data.service_name,
                        data.organisation_name,
                        data.service_address,
                        data.service_contact,
                    ],
                )
            ),
        ),
        (_("Відповісти до"), _day(data.respond_by)),
        (_("Надати послугу до"), _day(data.complete_by)),
    ]
    if data.note:
        rows.append((_("Примітка"), data.note))
    rows.append(
        (_("Фахівець"), "\n".join(filter(None, [data.specialist_name, data.specialist_contact])))
    )
    return rows


def _story(data: LetterData) -> list:
    styles = _styles()
    table = Table(
        [
            [Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["body"])]
            for label, value in _rows(data)
        ],
        colWidths=[45 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    reference = _("Направлення № %(reference)s") % {"reference": data.reference}
    issued = _("від %(date)s") % {"date": _day(data.issued_on)}
    quote = _(
        "Просимо повідомити про прийняття направлення та про результат, зазначивши його номер."
    )
    return [
        Paragraph(_text(reference), styles["title"]),
        Paragraph(_text(issued), styles["body"]),
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph(_text(quote), styles["body"]),
        Spacer(1, 16 * mm),
        Paragraph(_text(_("Підпис фахівця ____________________")), styles["body"]),
    ]


def render_letter(data: LetterData) -> bytes:
    """The letter as PDF bytes, in Ukrainian whatever language the user reads the site in."""
    _register_fonts()
    buffer = BytesIO()
    with translation.override("uk"):
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=_("Направлення № %(reference)s") % {"reference": data.reference},
            author=data.hub_name,
            lang="uk-UA",
        )
        document.build(_story(data))
    return buffer.getvalue()
