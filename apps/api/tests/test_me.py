"""``GET /api/v1/me``: the acting user, their memberships (role × scope) and permissions."""

import pytest

from apps.access.roles import Perm

from .helpers import bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_me_describes_a_hub_worker(client, cast, signed_in):
    signed_in(cast.registrar_a)
    body = client.get(ME).json()
    assert body["user"] == {
        "id": cast.registrar_a.pk,
        "username": "registrar.a",
        "full_name": cast.registrar_a.get_full_name(),
        "email": "registrar.a@example.org",
        "preferred_language": "uk",
    }
    assert body["memberships"] == [
        {
            "role": "registrar",
            "role_label": "Реєстратор",
            "community": {"code": "UA56060470000086729", "name": "Рівненська", "category": "Н"},
            "organisation": {"id": cast.hub_a.pk, "name": "Простір інтеграції", "kind": "hub"},
        }
    ]
    assert body["roles"] == ["registrar"]
    assert Perm.PERSONS_READ in body["permissions"]
    assert Perm.AUDIT_READ not in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])


def test_me_of_a_partner_has_an_organisation_and_no_community(client, cast, token_for):
    _token, raw = token_for(cast.partner_staff_a)
    (membership,) = client.get(ME, **bearer(raw)).json()["memberships"]
    assert membership["community"] is None
    assert membership["organisation"]["kind"] == "employment_centre"


def test_me_of_the_global_administrator_names_no_scope(client, cast, signed_in):
    signed_in(cast.admin)
    (membership,) = client.get(ME).json()["memberships"]
    assert (membership["role"], membership["community"], membership["organisation"]) == (
        "admin",
        None,
        None,
    )


def test_me_of_a_user_without_memberships_is_empty_not_an_error(client, cast, token_for):
    _token, raw = token_for(cast.outsider)
    body = client.get(ME, **bearer(raw)).json()
    assert (body["memberships"], body["roles"], body["permissions"]) == ([], [], [])
