"""The referral letter is a real PDF whose Ukrainian text survives: opened and read back."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from apps.referrals.letter import LetterData, render_letter


def _letter(**changes) -> LetterData:
    values = {
        "reference": "НП-2026-000123",
        "issued_on": date(2026, 11, 25),
        "hub_name": "Хаб соціальних послуг Рівненської громади",
        "hub_address": "м. Рівне, вул. Соборна, 12",
        "hub_contact": "+380 362 00 00 00",
        "person_name": "Марʼяна Їжакевич-Ґудзь",
        "person_contact": "+380 67 123 45 67",
        "need": "Працевлаштування",
        "service_name": "Сприяння працевлаштуванню",
        "organisation_name": "Рівненський міський центр зайнятості",
        "service_address": "м. Рівне, вул. Степана Бандери, 3",
        "service_contact": "rivne@dcz.gov.ua",
        "note": "Шукає роботу бухгалтеркою; має досвід 10 років.",
        "respond_by": date(2026, 11, 30),
        "complete_by": date(2027, 1, 8),
        "specialist_name": "Олена Коваль",
        "specialist_contact": "+380 50 000 00 01",
    }
    values.update(changes)
    return LetterData(**values)


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_letter_is_a_one_page_pdf_with_every_part_in_ukrainian():
    pdf = render_letter(_letter())

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    text = _text(pdf)
    for expected in (
        "Направлення № НП-2026-000123",
        "від 25.11.2026",
        "Хаб соціальних послуг Рівненської громади",
        "Марʼяна Їжакевич-Ґудзь",
        "+380 67 123 45 67",
        "Працевлаштування",
        "Сприяння працевлаштуванню",
        "Рівненський міський центр зайнятості",
        "30.11.2026",
        "08.01.2027",
        "Шукає роботу бухгалтеркою",
        "Олена Коваль",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Направлення № НП-2026-000123"


def test_the_font_is_embedded_so_cyrillic_prints_anywhere():
    reader = PdfReader(BytesIO(render_letter(_letter())))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    embedded = {
        str(font["/BaseFont"]).split("+")[-1]
        for font in fonts
        if "/FontFile2" in font.get("/FontDescriptor", {})
    }
    assert embedded == {"SourceSansPro-Regular", "SourceSansPro-Bold"}


def test_a_contact_the_person_did_not_agree_to_share_is_left_out():
    text = _text(render_letter(_letter(person_contact="")))
    assert "Контакт особи" not in text
    assert "+380 67 123 45 67" not in text


def test_markup_in_what_people_typed_is_printed_as_text():
    text = _text(render_letter(_letter(note="<b>терміново</b> & без черги")))
    assert "<b>терміново</b> & без черги" in text


@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_letter_is_ukrainian_whatever_the_page_language(language, settings):
    from django.utils import translation

    with translation.override(language):
        text = _text(render_letter(_letter()))
    assert "Потреба" in text and "Відповісти до" in text


def test_a_long_note_wraps_onto_the_page_instead_of_running_off_it():
    note = "Потрібна допомога з оформленням документів. " * 40
    pdf = render_letter(_letter(note=note))
    text = _text(pdf)
    assert text.count("оформленням") == 40
