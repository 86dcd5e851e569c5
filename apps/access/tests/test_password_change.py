from unittest import mock

import pytest
from django.urls import reverse

from apps.access.tests.factories import PASSWORD
from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("access:password-change")


def test_weak_password_is_refused_with_messages_next_to_the_field(cast, signed_in):
    client = signed_in(cast.specialist_a)
    response = client.post(
        URL, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page and "id_new_password2_error" in page
    assert "занадто короткий" in page  # Django's Ukrainian message for the length rule
    assert "Поточний пароль" in page and "Щонайменше 12 символів" in page  # our words
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.check_password(PASSWORD)


def test_strong_password_is_saved_audited_and_keeps_the_session(cast, signed_in):
    client = signed_in(cast.specialist_a)
    new = "Зелений-каштан-2026"
    response = client.post(
        URL, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.check_password(new)
    event = AuditEvent.objects.get(event="access.user.password_changed")
    assert (event.action, event.changed_fields) == (Action.UPDATE, ["password"])
    assert new not in str(event.__dict__)
    assert client.get(reverse("access:home")).status_code == 200


def test_password_stays_unchanged_when_the_audit_cannot_be_written(cast, signed_in):
    client = signed_in(cast.specialist_a)
    client.raise_request_exception = False
    new = "Зелений-каштан-2026"
    with mock.patch("apps.access.services.audit.record", side_effect=RuntimeError("disk full")):
        response = client.post(
            URL, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
    assert response.status_code == 500
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.check_password(PASSWORD)  # no change without its trail
