"""Why a person matched a search or looks like a duplicate: stable codes (API) and the words
people read (pages). A code without a label is shown as is, so a new reason never breaks a page."""

from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "same_rnokpp": _("той самий РНОКПП"),
    "same_document": _("той самий номер документа"),
    "same_phone": _("той самий телефон"),
    "similar_name_same_birth_date": _("схоже ім'я, та сама дата народження"),
    "similar_name_same_birth_year": _("схоже ім'я, той самий рік народження"),
    "similar_name": _("схоже ім'я"),
}


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))
