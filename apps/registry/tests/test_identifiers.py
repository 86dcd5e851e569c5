"""The identifier rules of DOMAIN.md §1: its worked examples, every error, the folding of
look-alike letters, phones, and what the РНОКПП and УНЗР check digits do and do not catch."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from apps.registry.identifiers import (
    DOCUMENT_RULES,
    DocumentType,
    IdentifierError,
    Sex,
    ValidatedDocument,
    rnokpp_birth_date,
    rnokpp_check_digit,
    rnokpp_conflicts,
    rnokpp_sex,
    unzr_check_digit,
    unzr_conflicts,
    validate_birth_certificate,
    validate_document,
    validate_foreign_passport,
    validate_id_card,
    validate_idp_certificate,
    validate_other_document,
    validate_passport,
    validate_phone,
    validate_rnokpp,
    validate_unzr,
)

TODAY = date(2025, 6, 1)
WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)  # DOMAIN.md §1, restated to check the code against


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(IdentifierError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def residue(number: str) -> int:
    """Σ dᵢ·wᵢ mod 11 over the first nine digits, as DOMAIN.md states it."""
    return sum(w * int(d) for w, d in zip(WEIGHTS, number, strict=False)) % 11


def make_rnokpp(born: date, serial: int, sex_digit: int) -> str:
    first_nine = f"{(born - date(1899, 12, 31)).days:05d}{serial:03d}{sex_digit}"
    return first_nine + str(rnokpp_check_digit(first_nine))


# --- РНОКПП: the worked table of DOMAIN.md §1 ----------------------------------------------


@pytest.mark.parametrize(
    ("number", "born", "sex", "total"),
    [
        ("3652504575", date(2000, 1, 1), Sex.MALE, 214),
        ("3068208400", date(1984, 1, 2), Sex.FEMALE, 219),
        ("1759013776", date(1948, 2, 28), Sex.MALE, 270),
        ("3111901289", date(1985, 3, 14), Sex.FEMALE, 130),
    ],
)
def test_rnokpp_worked_examples_are_valid_and_decode(number, born, sex, total):
    assert sum(w * int(d) for w, d in zip(WEIGHTS, number, strict=False)) == total
    assert validate_rnokpp(number) == number
    assert rnokpp_birth_date(number) == born
    assert rnokpp_sex(number) == sex
    assert rnokpp_conflicts(number, birth_date=born, sex=sex, today=TODAY) == []


def test_rnokpp_worked_example_with_a_bad_check_digit_is_an_error():
    # Σ = 295, 295 mod 11 = 9, but the last digit is 0.
    assert error_code(validate_rnokpp, "1234567890") == "rnokpp_checksum"


def test_rnokpp_spaces_are_dropped():
    assert validate_rnokpp(" 36525 04575\u00a0") == "3652504575"


@pytest.mark.parametrize(
    "value", ["", "365250457", "36525045750", "365250457O", "3652-504575", "٣٦٥٢٥٠٤٥٧٥"]
)
def test_rnokpp_that_is_not_ten_digits_is_an_error(value):
    assert error_code(validate_rnokpp, value) == "rnokpp_format"


def test_rnokpp_errors_name_the_field_in_ukrainian():
    with pytest.raises(IdentifierError) as caught:
        validate_rnokpp("1234567890")
    assert caught.value.message == str(caught.value)
    assert caught.value.message.startswith("РНОКПП: контрольна цифра не збігається.")


def test_rnokpp_disagreeing_birth_date_and_sex_are_warnings_only():
    warnings = rnokpp_conflicts(
        validate_rnokpp("3111901289"), birth_date=date(1985, 3, 15), sex=Sex.MALE, today=TODAY
    )

    assert codes(warnings) == ["rnokpp_birth_date_mismatch", "rnokpp_sex_mismatch"]
    with translation.override("uk"):
        assert "14.03.1985" in warnings[0].message
        assert "15.03.1985" in warnings[0].message
        assert "жіноча" in warnings[1].message


def test_rnokpp_sex_may_be_given_as_the_stored_value():
    assert rnokpp_conflicts("3111901289", sex="female", today=TODAY) == []
    assert codes(rnokpp_conflicts("3111901289", sex="male", today=TODAY)) == ["rnokpp_sex_mismatch"]


def test_rnokpp_with_unknown_birth_date_and_sex_has_no_warnings():
    assert rnokpp_conflicts("3652504575", today=TODAY) == []


@pytest.mark.parametrize("born", [date(1899, 12, 31), TODAY + timedelta(days=1)])
def test_rnokpp_encoding_an_impossible_birth_date_is_a_warning(born):
    number = make_rnokpp(born, 123, 4)

    assert validate_rnokpp(number) == number
    assert codes(rnokpp_conflicts(number, today=TODAY)) == ["rnokpp_birth_date_impossible"]


def test_a_single_digit_change_can_slip_through_the_rnokpp_check_digit():
    # 3068208400 has residue 10 (check digit 0); lowering d1 by one (weight −1) adds 1 → 0,
    # whose check digit is also 0. Both numbers are valid: mod 11 mod 10 cannot tell them apart.
    assert residue("3068208400") == 10
    assert residue("2068208400") == 0
    assert validate_rnokpp("2068208400") == "2068208400"


# --- РНОКПП: properties ---------------------------------------------------------------------

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=timezone.localdate())


@given(born=birth_dates, serial=st.integers(0, 999), sex_digit=st.integers(0, 9))
def test_rnokpp_with_its_check_digit_validates_and_decodes_back(born, serial, sex_digit):
    number = make_rnokpp(born, serial, sex_digit)

    assert validate_rnokpp(number) == number
    assert rnokpp_birth_date(number) == born
    assert rnokpp_sex(number) == (Sex.FEMALE if sex_digit % 2 == 0 else Sex.MALE)
    assert rnokpp_conflicts(number, birth_date=born, sex=rnokpp_sex(number)) == []


@given(
    born=birth_dates,
    serial=st.integers(0, 999),
    sex_digit=st.integers(0, 9),
    position=st.integers(0, 9),
    delta=st.integers(1, 9),
)
def test_rnokpp_single_digit_changes_pass_only_between_residues_0_and_10(
    born, serial, sex_digit, position, delta
):
    """What mod 11 mod 10 guarantees. Every weight is non-zero mod 11 and a digit changes by
    less than 11, so one changed digit always changes the residue Σ dᵢ·wᵢ mod 11. The check
    digit is that residue mod 10, so the change goes unseen exactly when the residue moves
    between 0 and 10 (both give check digit 0). Hence: a changed check digit is always caught,
    and so is any change to a number whose check digit is not 0."""
    number = make_rnokpp(born, serial, sex_digit)
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)

    try:
        validate_rnokpp(changed)
        passed = True
    except IdentifierError as error:
        assert error.code == "rnokpp_checksum"
        passed = False

    assert passed == (position < 9 and {residue(number), residue(changed)} == {0, 10})
    if number[9] != "0" or position == 9:
        assert not passed


# --- УНЗР ---------------------------------------------------------------------------------


def test_unzr_worked_example():
    # 7+27+8+35+0+3+7+12+0+0+3+2 = 104 → 4
    assert unzr_check_digit("198503140012") == 4
    assert validate_unzr("19850314-00124", today=TODAY) == "19850314-00124"
    assert unzr_conflicts("19850314-00124", birth_date=date(1985, 3, 14)) == []


def test_unzr_icao_sample():
    # ICAO 9303's own example: 510509 → 5·7+1·3+0·1+5·7+0·3+9·1 = 82 → 2
    assert unzr_check_digit("510509") == 2


@pytest.mark.parametrize(
    "value", ["1985031400124", " 19850314 - 00124 ", "19850314–00124", "19850314 00124"]
)
def test_unzr_is_normalised_with_a_hyphen(value):
    assert validate_unzr(value, today=TODAY) == "19850314-00124"


def test_unzr_check_digit_mismatch_is_a_warning_not_an_error():
    unzr = validate_unzr("19850314-00125", today=TODAY)

    assert unzr == "19850314-00125"
    assert codes(unzr_conflicts(unzr)) == ["unzr_checksum"]


def test_unzr_birth_date_disagreement_is_a_warning():
    assert codes(unzr_conflicts("19850314-00124", birth_date=date(1985, 4, 14))) == [
        "unzr_birth_date_mismatch"
    ]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "unzr_format"),
        ("19850314-0012", "unzr_format"),
        ("19850314-001245", "unzr_format"),
        ("1985-03-14-00124", "unzr_format"),
        ("19850314/00124", "unzr_format"),
        ("19851314-00124", "unzr_date"),
        ("19850230-00124", "unzr_date"),
        ("18991231-00124", "unzr_date"),
        ("20250602-00124", "unzr_date_future"),
        ("19850314-00004", "unzr_record_number"),
    ],
)
def test_unzr_errors(value, code):
    assert error_code(validate_unzr, value, today=TODAY) == code


def test_unzr_of_someone_born_today_is_accepted():
    assert validate_unzr("20250601-00011", today=TODAY) == "20250601-00011"


@given(
    born=birth_dates,
    record=st.integers(1, 9999),
    position=st.integers(0, 12),
    delta=st.integers(1, 9),
)
def test_unzr_every_single_digit_change_is_noticed(born, record, position, delta):
    """Weights 7, 3, 1 are all prime to 10, so a changed digit always changes the sum mod 10:
    the change is either an error (no longer a date, say) or a check-digit warning."""
    first_twelve = f"{born:%Y%m%d}{record:04d}"
    unzr = f"{first_twelve[:8]}-{first_twelve[8:]}{unzr_check_digit(first_twelve)}"
    assert validate_unzr(unzr) == unzr
    assert unzr_conflicts(unzr, birth_date=born) == []

    digits = list(unzr.replace("-", ""))
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    try:
        changed_unzr = validate_unzr(changed)
    except IdentifierError:
        return
    assert "unzr_checksum" in codes(unzr_conflicts(changed_unzr))


# --- Identity documents -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["000123456", " 000 123 456 ", "№000123456"])
def test_id_card_is_nine_digits(value):
    assert validate_id_card(value) == "000123456"


@pytest.mark.parametrize("value", ["", "12345678", "1234567890", "AB1234567"])
def test_id_card_errors(value):
    assert error_code(validate_id_card, value) == "id_card_format"


@pytest.mark.parametrize(
    "value",
    ["КВ123456", "кв 123456", "KB123456", "kb123456", "Кb 123 456", "КВ № 123456", " КВ\t123456 "],
)
def test_passport_folds_case_spaces_and_latin_look_alikes(value):
    assert validate_passport(value) == "КВ123456"


def test_passport_folds_every_listed_look_alike():
    assert validate_passport("AB123456") == "АВ123456"
    assert validate_passport("CE123456") == "СЕ123456"
    assert validate_passport("HI123456") == "НІ123456"
    assert validate_passport("KM123456") == "КМ123456"
    assert validate_passport("OP123456") == "ОР123456"
    assert validate_passport("TX123456") == "ТХ123456"
    assert validate_passport("ЄЇ123456") == "ЄЇ123456"


LOOK_ALIKES = st.sampled_from("ABCEHIKMOPTXАВСЕНІКМОРТХabcehikmoptxавсенікмортх")


@given(
    series=st.lists(LOOK_ALIKES, min_size=2, max_size=2),
    number=st.from_regex(r"[0-9]{6}", fullmatch=True),
    gap=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
def test_passport_look_alikes_always_fold_to_cyrillic(series, number, gap):
    result = validate_passport(f"{series[0]}{gap}{series[1]}{gap}{number}")

    assert result[2:] == number
    assert all("А" <= letter <= "Я" or letter in "ІЄЇҐ" for letter in result[:2])


@pytest.mark.parametrize(
    "value", ["", "КВ12345", "КВ1234567", "К123456", "КВС123456", "FF123456", "ЫЭ123456"]
)
def test_passport_errors(value):
    assert error_code(validate_passport, value) == "passport_format"


@pytest.mark.parametrize("value", ["FA123456", "fa 123 456", "ЕН123456", "№ FA123456"])
def test_foreign_passport(value):
    assert validate_foreign_passport(value) in {"FA123456", "EH123456"}


@pytest.mark.parametrize("value", ["", "F123456", "FA1234567", "ФА123456", "123456789"])
def test_foreign_passport_errors(value):
    assert error_code(validate_foreign_passport, value) == "foreign_passport_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("I-БК 123456", "I-БК 123456"),
        ("І-БК 123456", "I-БК 123456"),  # Cyrillic І
        ("i-бк123456", "I-БК 123456"),
        ("I – БК № 123456", "I-БК 123456"),
        ("IБК123456", "I-БК 123456"),
        ("1-БК 123456", "I-БК 123456"),
        ("II-KB 123456", "II-КВ 123456"),  # Latin look-alike letters
        ("ІІІ-ЖС 654321", "III-ЖС 654321"),
        ("XIV-ЭР 000001", "XIV-ЭР 000001"),  # Soviet-era Russian letter
        ("Х-МЮ 000002", "X-МЮ 000002"),  # Cyrillic Х
    ],
)
def test_birth_certificate_is_read_leniently(value, expected):
    assert validate_birth_certificate(value) == expected


@pytest.mark.parametrize(
    "value", ["", "БК 123456", "IIII-БК 123456", "I-Б 123456", "I-БК 12345", "0-БК 123456"]
)
def test_birth_certificate_errors(value):
    assert error_code(validate_birth_certificate, value) == "birth_certificate_format"


def test_idp_certificate_is_a_trimmed_free_string():
    assert validate_idp_certificate("  0301-7001234567 ") == "0301-7001234567"
    assert validate_idp_certificate("№ 12  34") == "№ 12 34"
    assert validate_idp_certificate("x" * 32) == "x" * 32


def test_idp_certificate_errors():
    assert error_code(validate_idp_certificate, "   ") == "idp_certificate_empty"
    assert error_code(validate_idp_certificate, "x" * 33) == "idp_certificate_too_long"
    with translation.override("uk"), pytest.raises(IdentifierError) as caught:
        validate_idp_certificate("x" * 33)
    assert caught.value.message == "Довідка ВПО: номер задовгий (не більше 32 символів)."


def test_other_document():
    assert validate_other_document(" Посвідка № 5 ") == "Посвідка № 5"
    assert error_code(validate_other_document, "") == "other_empty"
    assert error_code(validate_other_document, "x" * 65) == "other_too_long"


# --- Phone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("067 123 45 67", "+380671234567"),
        ("+380671234567", "+380671234567"),
        ("380671234567", "+380671234567"),
        ("0671234567", "+380671234567"),
        ("+38 (067) 123-45-67", "+380671234567"),
        ("(0362) 12-34-56", "+380362123456"),
        ("044 123 45 67", "+380441234567"),
        ("+48 512 345 678", "+48512345678"),
    ],
)
def test_phone_is_e164(value, expected):
    assert validate_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "phone_unparseable"),
        ("hello", "phone_unparseable"),
        ("12", "phone_invalid"),
        ("067 123 45", "phone_invalid"),
        ("8 067 123 45 67", "phone_invalid"),
        ("+380 67 123 45 67 доб. 5", "phone_extension"),
    ],
)
def test_phone_errors(value, code):
    assert error_code(validate_phone, value) == code


# --- The dispatcher -----------------------------------------------------------------------


def test_every_document_type_has_a_rule():
    assert set(DOCUMENT_RULES) == set(DocumentType)


@pytest.mark.parametrize(
    ("document_type", "number", "expected"),
    [
        ("rnokpp", "3111901289", "3111901289"),
        ("unzr", "1985031400124", "19850314-00124"),
        ("idp_certificate", " 1234-5678 ", "1234-5678"),
        ("id_card", "000123456", "000123456"),
        ("passport", "kb 123456", "КВ123456"),
        ("foreign_passport", "fa123456", "FA123456"),
        ("birth_certificate", "1-бк 123456", "I-БК 123456"),
        ("other", " X ", "X"),
        (DocumentType.PASSPORT, "КВ123456", "КВ123456"),
    ],
)
def test_validate_document_normalises(document_type, number, expected):
    assert validate_document(document_type, number, today=TODAY) == ValidatedDocument(expected)


def test_validate_document_passes_the_person_to_rnokpp_and_unzr():
    rnokpp = validate_document(
        "rnokpp", "3111901289", birth_date=date(1985, 3, 14), sex=Sex.MALE, today=TODAY
    )
    unzr = validate_document(
        "unzr", "19850314-00125", birth_date=date(1985, 3, 15), sex=Sex.FEMALE, today=TODAY
    )

    assert rnokpp.normalised == "3111901289"
    assert codes(rnokpp.warnings) == ["rnokpp_sex_mismatch"]
    assert unzr.normalised == "19850314-00125"
    assert codes(unzr.warnings) == ["unzr_checksum", "unzr_birth_date_mismatch"]


def test_validate_document_raises_the_rule_error():
    assert error_code(validate_document, "rnokpp", "1234567890") == "rnokpp_checksum"
    assert error_code(validate_document, "passport", "123456") == "passport_format"


def test_validate_document_refuses_an_unknown_type():
    assert error_code(validate_document, "driving_licence", "ABC") == "document_type_unknown"


@pytest.mark.parametrize("number", ["3652504575", "3068208400", "1759013776", "3111901289"])
def test_rnokpp_single_digit_changes_of_the_worked_examples(number):
    """All 90 single-digit changes of each worked example, against the same characterisation:
    only 3068208400 (residue 10) has changes that slip through."""
    slipped = []
    for position in range(10):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            try:
                validate_rnokpp(changed)
            except IdentifierError:
                continue
            slipped.append(changed)

    expected = [
        number[:position] + digit + number[position + 1 :]
        for position in range(9)
        for digit in "0123456789"
        if digit != number[position]
        and {residue(number), residue(number[:position] + digit + number[position + 1 :])}
        == {0, 10}
    ]
    assert slipped == expected
    assert bool(slipped) == (number == "3068208400")
