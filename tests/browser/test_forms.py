"""Invalid input: the form comes back with what was typed, the error next to the field and
tied to it (aria-describedby, aria-invalid), and a summary announced as an alert."""

import pytest
from django.urls import reverse

from .helpers import sign_in_browser, submit

pytestmark = pytest.mark.browser


def assert_field_error(page, field_id: str) -> None:
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}_error" in described_by
    for ref in described_by:
        assert page.locator(f"#{ref}").count() == 1, f"aria-describedby names missing #{ref}"
    errors = page.locator(f"#{field_id}_error")
    assert errors.is_visible() and errors.inner_text().strip()
    # Next to the field: in the same field group.
    same_group = "([f, e]) => f.closest('.field') === e.closest('.field')"
    assert page.evaluate(same_group, [field.element_handle(), errors.element_handle()])

    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.is_visible()
    assert summary.locator(f"a[href='#{field_id}']").count() >= 1


def assert_field_valid(page, field_id: str) -> None:
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") is None
    assert page.locator(f"#{field_id}_error").count() == 0


def test_sign_in_missing_password(page, browser_cast):
    page.goto(reverse("access:sign-in"))
    page.fill("#id_username", "registrar.a")
    submit(page)
    assert page.input_value("#id_username") == "registrar.a"
    assert_field_error(page, "id_password")
    assert_field_valid(page, "id_username")


def test_sign_in_wrong_password_has_a_summary(page, browser_cast):
    page.goto(reverse("access:sign-in"))
    page.fill("#id_username", "registrar.a")
    page.fill("#id_password", "not-the-password")
    submit(page)
    assert page.input_value("#id_username") == "registrar.a"
    summary = page.locator(".error-summary[role=alert]")
    assert summary.is_visible() and "пароль" in summary.inner_text()


def test_token_form_keeps_values_and_marks_the_field(page, live_server, browser_cast):
    sign_in_browser(page, live_server, browser_cast.coordinator_a)
    page.goto(reverse("access:tokens"))
    page.fill("#id_name", "Інтеграція з центром зайнятості")
    page.fill("#id_expires_in_days", "9999")
    submit(page)
    assert page.input_value("#id_name") == "Інтеграція з центром зайнятості"
    assert page.input_value("#id_expires_in_days") == "9999"
    assert_field_error(page, "id_expires_in_days")
    assert_field_valid(page, "id_name")
    assert page.locator("#new-token").count() == 0


def test_audit_filter_keeps_values_and_marks_the_field(page, live_server, browser_cast):
    sign_in_browser(page, live_server, browser_cast.coordinator_a)
    page.goto(reverse("access:audit-log"))
    page.fill("#id_actor", "registrar.a")
    page.fill("#id_date_from", "2026-03-01")
    page.fill("#id_date_to", "2026-02-01")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert page.input_value("#id_actor") == "registrar.a"
    assert page.input_value("#id_date_from") == "2026-03-01"
    assert page.input_value("#id_date_to") == "2026-02-01"
    assert_field_error(page, "id_date_to")
    assert_field_valid(page, "id_actor")


def test_second_factor_code_must_be_digits(page, live_server, browser_cast):
    sign_in_browser(page, live_server, browser_cast.specialist_a, second_factor=False)
    assert page.url.split("?")[0].endswith(reverse("access:two-factor-setup"))
    page.fill("#id_otp_token", "12ab56")
    submit(page)
    assert page.input_value("#id_otp_token") == "12ab56"
    assert_field_error(page, "id_otp_token")
