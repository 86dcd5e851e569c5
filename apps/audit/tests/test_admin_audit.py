"""Changes made through Django admin leave one audit event per object created, changed or
deleted, in the transaction of the change: the user's own fields and password, the
memberships inline on the user's page, "delete selected", and django-axes' lockouts.

Models of the apps above are reached through the ``cast``: apps.audit is the bottom layer and
does not import them."""

from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.admin import AuditedModelAdmin
from apps.audit.models import Action, AuditEvent
from apps.audit.tests.transactions import statements, transactions_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zminenyi-parol-2026!"


class _FormScraper(HTMLParser):
    """The values a browser would submit from a page's forms (submit buttons aside)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(name, a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def _form(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    scraper = _FormScraper()
    scraper.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in scraper.data.items()}


def _admin_events():
    """Changes made in admin (opening a page to change it is a read, tested on its own)."""
    return AuditEvent.objects.filter(reason="admin").exclude(action=Action.READ)


def _user_url(user, tail: str = "change/") -> str:
    return f"/admin/access/user/{user.pk}/{tail}"


class TestUserPage:
    def test_adding_a_membership_inline_leaves_one_create_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.outsider
        data = _form(client, _user_url(user))
        assert data["memberships-TOTAL_FORMS"] == "0"
        data |= {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-id": "",
            "memberships-0-user": str(user.pk),
            "memberships-0-role": cast.registrar_a.memberships.get().role,
            "memberships-0-community": str(cast.community_a.pk),
            "memberships-0-organisation": str(cast.hub_a.pk),
        }
        response = client.post(_user_url(user), data)
        assert response.status_code == 302, response.content
        membership = user.memberships.get()
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.CREATE, "access.membership.created")
        assert (event.object_type, event.object_id) == ("access.membership", str(membership.pk))
        assert (event.community, event.organisation) == (cast.community_a, cast.hub_a)
        assert event.actor == cast.admin
        assert set(event.changed_fields) >= {"role", "community", "organisation"}

    def test_removing_a_membership_inline_leaves_one_delete_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        membership = user.memberships.get()
        data = _form(client, _user_url(user)) | {"memberships-0-DELETE": "on"}
        assert data["memberships-0-id"] == str(membership.pk)
        assert client.post(_user_url(user), data).status_code == 302
        assert not user.memberships.exists()
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.DELETE, "access.membership.deleted")
        assert event.object_id == str(membership.pk)
        assert (event.community, event.organisation) == (cast.community_a, cast.hub_a)

    def test_changing_the_email_leaves_one_update_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        data = _form(client, _user_url(user)) | {"email": "new.address@example.org"}
        assert client.post(_user_url(user), data).status_code == 302
        user.refresh_from_db()
        assert user.email == "new.address@example.org"
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.UPDATE, "access.user.updated")
        assert (event.object_type, event.object_id) == ("access.user", str(user.pk))
        assert event.changed_fields == ["email"]

    def test_making_a_user_staff_names_the_flags(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        data = _form(client, _user_url(user)) | {"is_staff": "on", "is_superuser": "on"}
        assert client.post(_user_url(user), data).status_code == 302
        assert _admin_events().get().changed_fields == ["is_staff", "is_superuser"]

    def test_saving_without_a_change_leaves_no_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        data = _form(client, _user_url(cast.registrar_a))
        assert client.post(_user_url(cast.registrar_a), data).status_code == 302
        assert not _admin_events().exists()

    def test_a_failed_save_leaves_no_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        data = _form(client, _user_url(user)) | {"username": "", "email": "x@example.org"}
        response = client.post(_user_url(user), data)
        assert response.status_code == 200  # the form again, with its errors
        assert response.context["adminform"].form.errors
        user.refresh_from_db()
        assert user.email != "x@example.org"
        assert not _admin_events().exists()

    def test_changing_the_password_names_the_password_only(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        url = _user_url(user, "password/")
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        assert client.post(url, data).status_code == 302
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.UPDATE, "access.user.updated")
        assert event.object_id == str(user.pk)
        assert event.changed_fields == ["password"]
        assert NEW_PASSWORD not in str(AuditEvent.objects.values_list())

    def test_adding_a_user_names_the_password_once(self, cast, signed_in):
        client = signed_in(cast.admin)
        url = "/admin/access/user/add/"
        data = _form(client, url) | {
            "username": "new.person",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        }
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.CREATE, "access.user.created")
        assert event.object_id == str(cast.admin._meta.model.objects.get(username="new.person").pk)
        assert event.changed_fields == ["password", "username"]

    def test_a_refused_password_leaves_no_event(self, cast, signed_in):
        client = signed_in(cast.admin)
        url = _user_url(cast.registrar_a, "password/")
        data = {"password1": NEW_PASSWORD, "password2": "different", "usable_password": "true"}
        assert client.post(url, data).status_code == 200
        assert not _admin_events().exists()


def test_renaming_a_token_takes_its_owners_scope(cast, signed_in):
    token = apps.get_model("access", "PersonalAccessToken").objects.create(
        user=cast.registrar_a, name="old", digest="0" * 64, hint="pst_0000"
    )
    client = signed_in(cast.admin)
    url = f"/admin/access/personalaccesstoken/{token.pk}/change/"
    assert client.post(url, _form(client, url) | {"name": "new"}).status_code == 302
    event = _admin_events().get()
    assert (event.event, event.changed_fields) == ("access.personalaccesstoken.updated", ["name"])
    assert (event.community, event.organisation) == (cast.community_a, cast.hub_a)


class TestDeletion:
    def _organisation(self, cast, slug: str):
        return type(cast.hub_a).objects.create(
            name=f"Організація {slug}", slug=slug, kind=cast.hub_a.kind, community=cast.community_a
        )

    def test_deleting_an_organisation_leaves_one_delete_event(self, cast, signed_in):
        organisation = self._organisation(cast, "closing")
        client = signed_in(cast.admin)
        url = f"/admin/directory/organisation/{organisation.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not type(organisation).objects.filter(pk=organisation.pk).exists()
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.DELETE, "directory.organisation.deleted")
        assert (event.object_type, event.object_id) == (
            "directory.organisation",
            str(organisation.pk),
        )
        assert event.community == cast.community_a
        assert event.changed_fields == []

    def test_delete_selected_leaves_one_event_per_object(self, cast, signed_in):
        organisations = [self._organisation(cast, slug) for slug in ("one", "two")]
        client = signed_in(cast.admin)
        response = client.post(
            "/admin/directory/organisation/",
            {
                "action": "delete_selected",
                "_selected_action": [o.pk for o in organisations],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        events = _admin_events()
        assert {(e.event, e.object_id) for e in events} == {
            ("directory.organisation.deleted", str(o.pk)) for o in organisations
        }
        assert events.count() == 2

    def test_unlocking_an_account_leaves_one_delete_event(self, cast, signed_in):
        attempt = AccessAttempt.objects.create(
            username="registrar.a",
            ip_address="203.0.113.7",
            user_agent="test",
            http_accept="*/*",
            path_info="/sign-in/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
        client = signed_in(cast.admin)
        url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not AccessAttempt.objects.exists()
        event = _admin_events().get()
        assert (event.action, event.event) == (Action.DELETE, "axes.accessattempt.deleted")
        assert (event.object_type, event.object_id) == ("axes.accessattempt", str(attempt.pk))
        assert event.actor == cast.admin

    def test_removing_a_second_factor_leaves_one_delete_event(self, cast, signed_in):
        device = TOTPDevice.objects.create(user=cast.registrar_a, name="phone", confirmed=True)
        client = signed_in(cast.admin)
        url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
        assert client.post(url, {"post": "yes"}).status_code == 302
        event = _admin_events().get()
        assert (event.event, event.object_id) == ("otp_totp.totpdevice.deleted", str(device.pk))
        assert (event.community, event.organisation) == (cast.community_a, cast.hub_a)


def test_every_admin_page_of_ours_axes_and_otp_is_audited():
    admin.autodiscover()
    unaudited = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedModelAdmin)
    }
    labels = {"access", "directory", "geo", "axes", "otp_totp", "otp_static"}
    assert not {label for label in unaudited if label.split(".")[0] in labels}
    assert "audit.AuditEvent" in unaudited  # read-only


@pytest.mark.django_db(transaction=True)  # real transactions
class TestSameTransaction:
    def test_a_user_change_and_its_event_commit_together(self, cast, signed_in):
        client = signed_in(cast.admin)
        user = cast.registrar_a
        data = _form(client, _user_url(user)) | {"email": "new.address@example.org"}
        with statements() as log:
            assert client.post(_user_url(user), data).status_code == 302
        (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
        assert written is not None
        assert transactions_of(log, 'UPDATE "access_user"') == {written}

    def test_a_password_change_and_its_event_commit_together(self, cast, signed_in):
        client = signed_in(cast.admin)
        url = _user_url(cast.registrar_a, "password/")
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        with statements() as log:
            assert client.post(url, data).status_code == 302
        (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
        assert written is not None
        assert transactions_of(log, 'UPDATE "access_user"', '"password"') == {written}

    def test_delete_selected_and_its_events_commit_together(self, cast, signed_in):
        attempts = [
            AccessAttempt.objects.create(
                username=f"user{n}",
                user_agent="test",
                http_accept="*/*",
                path_info="/sign-in/",
                get_data="",
                post_data="",
                failures_since_start=5,
            )
            for n in (1, 2)
        ]
        client = signed_in(cast.admin)
        with statements() as log:
            response = client.post(
                "/admin/axes/accessattempt/",
                {
                    "action": "delete_selected",
                    "_selected_action": [a.pk for a in attempts],
                    "post": "yes",
                },
            )
        assert response.status_code == 302
        assert _admin_events().count() == 2
        (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
        assert written is not None
        assert transactions_of(log, 'DELETE FROM "axes_accessattempt"') == {written}


def test_changes_to_an_organisation_belong_to_it_not_to_its_whole_community(cast, signed_in):
    """A partner's record changed in admin shows in its own trail, not every hub's nearby."""
    client = signed_in(cast.admin)
    url = f"/admin/directory/organisation/{cast.partner_a.pk}/change/"
    client.get(url)
    read = AuditEvent.objects.get(action=Action.READ, object_id=str(cast.partner_a.pk))
    assert (read.community, read.organisation) == (cast.community_a, cast.partner_a)
