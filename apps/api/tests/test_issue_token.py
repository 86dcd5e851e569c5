"""``manage.py issue_token``: a token on stdout, and only it, that works as a bearer."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.access.models import PersonalAccessToken
from apps.audit.models import AuditEvent

from .helpers import bearer

pytestmark = pytest.mark.django_db


def issue(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def test_prints_only_a_token_that_works_as_bearer(client, cast):
    output = issue("partner.a")
    raw = output.strip()
    assert output == raw + "\n"
    assert raw.startswith("prs_")
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "partner.a"


def test_name_and_expiry(cast):
    issue("partner.a", "--name", "CRM центру зайнятості", "--expires-in-days", "30")
    token = PersonalAccessToken.objects.get(user=cast.partner_staff_a)
    assert token.name == "CRM центру зайнятості"
    expected = timezone.now() + timedelta(days=30)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)


def test_without_expiry_the_token_lasts_until_revoked(cast):
    issue("partner.a")
    assert PersonalAccessToken.objects.get(user=cast.partner_staff_a).expires_at is None


def test_unknown_user_fails_clearly(cast):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        issue("nobody")
    assert not PersonalAccessToken.objects.exists()


def test_inactive_user_fails_clearly(cast):
    cast.partner_staff_a.is_active = False
    cast.partner_staff_a.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="inactive"):
        issue("partner.a")
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.parametrize("days", ["0", "731", "-1"])
def test_expiry_out_of_range_fails(cast, days):
    with pytest.raises(CommandError, match="--expires-in-days: Input should be"):
        issue("partner.a", "--expires-in-days", days)
    assert not PersonalAccessToken.objects.exists()


def test_expiry_must_be_a_number(cast):
    with pytest.raises(CommandError, match="invalid int value: 'soon'"):
        issue("partner.a", "--expires-in-days", "soon")


def test_empty_name_fails(cast):
    with pytest.raises(CommandError, match="--name: String should have at least 1 character"):
        issue("partner.a", "--name", "  ")


def test_the_trail_names_the_command_not_the_user_as_issuer(cast):
    call_command("issue_token", "partner.a", stdout=StringIO())
    event = AuditEvent.objects.get(event="access.token.created")
    assert (event.actor, event.actor_label) == (None, "manage.py issue_token")
    assert event.organisation == cast.partner_a  # the owner's organisation sees it
