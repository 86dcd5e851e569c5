"""Scans of a person's documents: uploaded (PDF, JPEG, PNG by their bytes, within the size
limit), downloaded only through the access-checked, audited download, deleted with their file,
kept private, moved by a merge; never half-saved."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.access.actor import actor_for
from apps.access.roles import Role
from apps.access.tests.factories import MembershipFactory, UserFactory
from apps.api.tests.helpers import error_of
from apps.audit import services as audit_services
from apps.audit.models import Action, AuditEvent
from apps.registry import attachments, services
from apps.registry.models import Document, DocumentAttachment

from .conftest import json_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
HTML = b"<html><script>alert(1)</script></html>"


def scans_url(person, document) -> str:
    return f"/api/v1/persons/{person.pk}/documents/{document.pk}/attachments"


def upload(client, person, document, content: bytes, name="passport.pdf"):
    return client.post(
        scans_url(person, document), {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def events(name, person):
    return AuditEvent.objects.filter(event=name, object_id=str(person.pk))


@pytest.fixture
def document(maria_person):
    return maria_person.documents.get()


@pytest.fixture
def scan_of(cast):
    """``scan_of(person, document, content, name)`` → a scan added by the person's registrar."""

    def add(person, document, content=PDF, name="passport.pdf", user=None):
        return services.attachment_add(
            actor=actor_for(user or cast.registrar_a),
            person_id=person.pk,
            document_id=document.pk,
            uploaded_file=SimpleUploadedFile(name, content),
        )

    return add


@pytest.fixture
def facilitator_a(cast):
    """A facilitator of hub A: reads persons, changes nothing."""
    user = UserFactory(username="facilitator.a")
    MembershipFactory(
        user=user, role=Role.FACILITATOR, community=cast.community_a, organisation=cast.hub_a
    )
    return user


@pytest.fixture
def bohdana_scan(cast, bohdana, scan_of):
    document = Document.objects.create(person=bohdana, type="id_card", number="987654321")
    return scan_of(bohdana, document, PNG, "vinnytsia.png", user=cast.registrar_b)


# --- upload and download -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "паспорт.pdf", "application/pdf"),
        (PNG, "id.png", "image/png"),
        (JPEG, "a.jpg", "image/jpeg"),
    ],
)
def test_a_scan_uploaded_comes_back_byte_for_byte(
    signed_in, cast, maria_person, document, content, name, content_type
):
    client = signed_in(cast.registrar_a)

    response = upload(client, maria_person, document, content, name)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["original_name"], body["content_type"], body["size"]) == (
        name,
        content_type,
        len(content),
    )
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    download = client.get(f"{scans_url(maria_person, document)}/{body['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]


def test_the_scan_is_listed_with_its_document(signed_in, cast, maria_person, document, scan_of):
    scan = scan_of(maria_person, document)

    listed = signed_in(cast.specialist_a).get(f"/api/v1/persons/{maria_person.pk}/documents")

    (only,) = listed.json()
    assert [a["id"] for a in only["attachments"]] == [scan.pk]


def test_uploading_and_downloading_are_audited_on_the_person(
    signed_in, cast, maria_person, document
):
    client = signed_in(cast.registrar_a)
    scan_id = upload(client, maria_person, document, PDF).json()["id"]
    reads_before = AuditEvent.objects.filter(action=Action.READ).count()

    client.get(f"{scans_url(maria_person, document)}/{scan_id}")

    (added,) = events("registry.document.attachment_added", maria_person)
    assert added.action == Action.CREATE and added.changed_fields == ["documents"]
    assert "passport" not in added.reason  # the file's name may carry personal data
    (read,) = events("registry.document.attachment_read", maria_person)
    assert read.action == Action.READ and read.actor == cast.registrar_a
    assert str(scan_id) in read.reason
    assert AuditEvent.objects.filter(action=Action.READ).count() == reads_before + 1


def test_a_scan_is_stored_privately_under_a_random_name(cast, maria_person, document, scan_of):
    scan = scan_of(maria_person, document, PDF, "Шевчук Марія паспорт.pdf")

    (path,) = stored_files()
    assert path.read_bytes() == PDF
    assert "Шевчук" not in str(path) and path.suffix == ".pdf"
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no URL"):
        _ = scan.file.url


def test_the_download_name_has_the_extension_of_the_content(
    signed_in, cast, maria_person, document, scan_of
):
    scan = scan_of(maria_person, document, PDF, "scan.exe")

    download = signed_in(cast.registrar_a).get(f"{scans_url(maria_person, document)}/{scan.pk}")

    assert 'filename="scan.exe.pdf"' in download["Content-Disposition"]


# --- refused files -----------------------------------------------------------------------------


def test_a_file_is_judged_by_its_bytes_not_its_name(signed_in, cast, maria_person, document):
    response = upload(signed_in(cast.registrar_a), maria_person, document, HTML, "scan.pdf")

    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("file", "unsupported_type")]
    assert "PDF, JPEG або PNG" in error["details"][0]["message"]
    assert not DocumentAttachment.objects.exists() and stored_files() == []


def test_a_file_over_the_limit_is_refused(signed_in, cast, maria_person, document, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    content = PNG + bytes(1024 * 1024)

    response = upload(signed_in(cast.registrar_a), maria_person, document, content, "big.png")

    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("file", "too_large")]
    assert "1 МБ" in error["details"][0]["message"]
    assert not DocumentAttachment.objects.exists() and stored_files() == []


@pytest.mark.parametrize(("content", "code"), [(b"", "empty"), (None, "required")])
def test_an_empty_or_missing_file_is_refused(
    signed_in, cast, maria_person, document, content, code
):
    client = signed_in(cast.registrar_a)
    data = {} if content is None else {"file": SimpleUploadedFile("empty.pdf", content)}

    response = client.post(scans_url(maria_person, document), data, format="multipart")

    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("file", code)]
    assert not DocumentAttachment.objects.exists()


def test_the_file_is_removed_when_the_transaction_fails(
    cast, maria_person, document, scan_of, monkeypatch
):
    record = audit_services.record

    def failing(**kwargs):
        if kwargs.get("event") == "registry.document.attachment_added":
            raise RuntimeError("the database went away")
        return record(**kwargs)

    monkeypatch.setattr(audit_services, "record", failing)

    with pytest.raises(RuntimeError):
        scan_of(maria_person, document)

    assert not DocumentAttachment.objects.exists()
    assert stored_files() == []


# --- deleting ----------------------------------------------------------------------------------


def test_a_deleted_scan_takes_its_file_with_it(
    signed_in, cast, maria_person, document, scan_of, django_capture_on_commit_callbacks
):
    scan = scan_of(maria_person, document)
    client = signed_in(cast.registrar_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{scans_url(maria_person, document)}/{scan.pk}")

    assert response.status_code == 204
    assert not DocumentAttachment.objects.exists() and stored_files() == []
    (deleted,) = events("registry.document.attachment_deleted", maria_person)
    assert deleted.action == Action.DELETE and str(scan.pk) in deleted.reason


def test_deleting_the_document_deletes_its_scans_files(
    signed_in, cast, maria_person, scan_of, django_capture_on_commit_callbacks
):
    passport = Document.objects.create(person=maria_person, type="passport", number="СН123456")
    scan_of(maria_person, passport)
    client = signed_in(cast.registrar_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/v1/persons/{maria_person.pk}/documents/{passport.pk}")

    assert response.status_code == 204
    assert stored_files() == []


def test_a_reader_downloads_but_does_not_add_or_delete(
    signed_in, cast, maria_person, document, scan_of, facilitator_a
):
    scan = scan_of(maria_person, document)
    client = signed_in(facilitator_a)

    download = client.get(f"{scans_url(maria_person, document)}/{scan.pk}")
    added = upload(client, maria_person, document, PNG)
    deleted = client.delete(f"{scans_url(maria_person, document)}/{scan.pk}")

    assert b"".join(download.streaming_content) == PDF
    assert added.status_code == 404 and deleted.status_code == 404
    assert DocumentAttachment.objects.count() == 1 and len(stored_files()) == 1


# --- scope -------------------------------------------------------------------------------------


def test_another_communitys_scan_is_not_found(signed_in, cast, bohdana, bohdana_scan):
    client = signed_in(cast.registrar_a)
    document = bohdana_scan.document
    url = f"{scans_url(bohdana, document)}/{bohdana_scan.pk}"

    download = client.get(url)
    added = upload(client, bohdana, document, PDF)
    deleted = client.delete(url)

    for response in (download, added, deleted):
        error = error_of(response, 404, "not_found")
        assert "Вінничук" not in str(error) and "vinnytsia" not in str(error)
    assert DocumentAttachment.objects.filter(document__person=bohdana).count() == 1
    assert len(stored_files()) == 1
    assert not events("registry.document.attachment_read", bohdana).exists()
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, object_id=str(bohdana.pk)
    ).exists()


def test_a_scan_is_found_only_under_its_own_document_and_person(
    signed_in, cast, maria_person, document, bohdana_scan
):
    """Community A's ids in the path do not reach community B's scan."""
    url = f"{scans_url(maria_person, document)}/{bohdana_scan.pk}"

    response = signed_in(cast.registrar_a).get(url)

    error_of(response, 404, "not_found")


# --- merging -----------------------------------------------------------------------------------


def test_a_merge_keeps_every_scan(
    signed_in, cast, maria_person, document, register, maria, scan_of
):
    duplicate = register(
        cast.registrar_a,
        {**maria, "first_name": "Мария", "documents": [], "phone": ""},
        confirm_not_duplicate=True,
    )
    passport = Document.objects.create(person=duplicate, type="passport", number="СН123456")
    same_rnokpp = Document.objects.create(person=duplicate, type="id_card", number="123456789")
    Document.objects.create(person=maria_person, type="id_card", number="123456789")
    scans = [scan_of(duplicate, passport, PDF), scan_of(duplicate, same_rnokpp, PNG, "id.png")]
    client = signed_in(cast.coordinator_a)

    response = json_call(
        client,
        "POST",
        f"/api/v1/persons/{maria_person.pk}/merge",
        {"duplicate": str(duplicate.pk), "reason": "Та сама особа"},
    )

    assert response.status_code == 200, response.content
    kept = {
        (a.document.type, a.original_name)
        for a in DocumentAttachment.objects.select_related("document")
    }
    assert kept == {("passport", "passport.pdf"), ("id_card", "id.png")}
    assert all(
        a.document.person_id == maria_person.pk
        for a in DocumentAttachment.objects.select_related("document")
    )
    moved = DocumentAttachment.objects.get(pk=scans[1].pk)
    download = client.get(f"{scans_url(maria_person, moved.document)}/{moved.pk}")
    assert b"".join(download.streaming_content) == PNG
    assert len(stored_files()) == 2


# --- pages -------------------------------------------------------------------------------------


def test_a_document_is_added_with_its_scan_on_the_page(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    form = {"type": "passport", "number": "СН123456", "file": SimpleUploadedFile("p.pdf", PDF)}

    response = client.post(f"/persons/{maria_person.pk}/documents/new/", form)

    assert response.status_code == 302
    (scan,) = DocumentAttachment.objects.filter(document__type="passport")
    card = client.get(f"/persons/{maria_person.pk}/").content.decode()
    download = f"/persons/{maria_person.pk}/documents/{scan.document_id}/attachments/{scan.pk}/"
    assert download in card
    assert b"".join(client.get(download).streaming_content) == PDF


def test_a_refused_scan_saves_no_document_either(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    form = {"type": "passport", "number": "СН123456", "file": SimpleUploadedFile("p.pdf", HTML)}

    response = client.post(f"/persons/{maria_person.pk}/documents/new/", form)

    assert response.status_code == 200
    assert "Цей файл не є PDF, JPEG або PNG" in response.content.decode()
    assert not maria_person.documents.filter(type="passport").exists()
    assert stored_files() == []


def test_the_card_adds_and_deletes_a_scan(
    signed_in, cast, maria_person, document, django_capture_on_commit_callbacks
):
    client = signed_in(cast.registrar_a)
    base = f"/persons/{maria_person.pk}/documents/{document.pk}/attachments/"
    card = client.get(f"/persons/{maria_person.pk}/").content.decode()
    assert f'action="{base}"' in card and 'enctype="multipart/form-data"' in card

    client.post(base, {"file": SimpleUploadedFile("id.png", PNG)})
    scan = DocumentAttachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}{scan.pk}/delete/")

    assert response.status_code == 302
    assert not DocumentAttachment.objects.exists() and stored_files() == []


def test_the_card_tells_why_a_scan_was_refused(signed_in, cast, maria_person, document):
    client = signed_in(cast.registrar_a)
    base = f"/persons/{maria_person.pk}/documents/{document.pk}/attachments/"

    response = client.post(base, {"file": SimpleUploadedFile("e.pdf", b"")}, follow=True)

    assert "Файл порожній" in response.content.decode()
    assert not DocumentAttachment.objects.exists()


def test_readers_see_the_download_but_no_scan_forms(
    signed_in, cast, maria_person, document, scan_of, facilitator_a
):
    scan = scan_of(maria_person, document)

    card = signed_in(facilitator_a).get(f"/persons/{maria_person.pk}/").content.decode()

    assert f"/attachments/{scan.pk}/" in card
    assert "/delete/" not in card and 'enctype="multipart/form-data"' not in card


# --- the size limit, before the body is read ---------------------------------------------------


def big_scan(settings, *, over_the_body_limit: bool) -> bytes:
    """A PNG over a 1 KB limit: its body declared over the limit, or only the file over it."""
    settings.ATTACHMENT_MAX_BYTES = 1024
    size = attachments.body_limit() + 1 if over_the_body_limit else 8 * 1024
    return PNG + bytes(size)


def test_the_limit_reads_no_byte_of_a_body_declared_too_large(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    handler = attachments.ScanUploadLimit()

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

    post, files = handler.handle_raw_input(Unreadable(), {}, attachments.body_limit() + 1, b"x")

    assert handler.refused and not post and not files


@pytest.mark.parametrize("over_the_body_limit", [True, False])
def test_the_api_refuses_a_scan_over_the_limit_before_reading_it(
    signed_in, cast, maria_person, document, settings, over_the_body_limit
):
    content = big_scan(settings, over_the_body_limit=over_the_body_limit)

    response = upload(signed_in(cast.registrar_a), maria_person, document, content, "big.png")

    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("file", "too_large")]
    assert error["details"][0]["message"].startswith("Файл завеликий: найбільший дозволений")
    assert not DocumentAttachment.objects.exists() and stored_files() == []


def test_the_document_page_refuses_a_body_declared_too_large_unread(
    client, signed_in, cast, maria_person, settings
):
    content = big_scan(settings, over_the_body_limit=True)
    client.handler.enforce_csrf_checks = True  # answered with the limit, not a CSRF failure
    signed_in(cast.registrar_a)
    form = {"type": "passport", "number": "СН123456", "file": SimpleUploadedFile("p.png", content)}

    response = client.post(f"/persons/{maria_person.pk}/documents/new/", form)

    assert response.status_code == 413
    page = response.content.decode()
    assert "Файл завеликий: найбільший дозволений розмір" in page and 'href="#id_file"' in page
    assert not maria_person.documents.filter(type="passport").exists()
    assert stored_files() == []


def test_the_document_page_drops_a_scan_that_grows_over_the_limit(
    signed_in, cast, maria_person, settings
):
    content = big_scan(settings, over_the_body_limit=False)
    form = {"type": "passport", "number": "СН123456", "file": SimpleUploadedFile("p.png", content)}

    response = signed_in(cast.registrar_a).post(f"/persons/{maria_person.pk}/documents/new/", form)

    assert response.status_code == 200
    assert "Файл завеликий: найбільший дозволений розмір" in response.content.decode()
    assert not maria_person.documents.filter(type="passport").exists()  # not without its scan
    assert stored_files() == []


@pytest.mark.parametrize("over_the_body_limit", [True, False])
def test_the_card_refuses_a_scan_over_the_limit(
    client, signed_in, cast, maria_person, document, settings, over_the_body_limit
):
    content = big_scan(settings, over_the_body_limit=over_the_body_limit)
    signed_in(cast.registrar_a)
    base = f"/persons/{maria_person.pk}/documents/{document.pk}/attachments/"

    response = client.post(base, {"file": SimpleUploadedFile("id.png", content)}, follow=True)

    assert response.redirect_chain[-1][0] == f"/persons/{maria_person.pk}/"
    assert "Файл завеликий: найбільший дозволений розмір" in response.content.decode()
    assert not DocumentAttachment.objects.exists() and stored_files() == []


def test_the_card_form_still_needs_its_csrf_token(client, signed_in, cast, maria_person, document):
    client.handler.enforce_csrf_checks = True
    signed_in(cast.registrar_a)
    base = f"/persons/{maria_person.pk}/documents/{document.pk}/attachments/"

    response = client.post(base, {"file": SimpleUploadedFile("id.png", PNG)})

    assert response.status_code == 403 and not DocumentAttachment.objects.exists()
