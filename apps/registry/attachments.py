"""Scans of a person's documents: which files are accepted and where they are kept.

Decisions:

- **The content decides the type**, never the name or what the browser says: a file is a PDF,
  a JPEG or a PNG by its first bytes (``sniff``), else it is refused. The type kept and served
  is the one read from the bytes, and the download name gets that type's extension.
- **Size**: at most ``settings.ATTACHMENT_MAX_BYTES`` (10 MB by default); an empty file is
  refused. A too-large upload is refused before Django reads it: the pages and the API put
  ``ScanUploadLimit`` first among the request's upload handlers (``limit_upload``), so a body
  whose ``Content-Length`` is over the limit is not parsed at all — no byte of it is read, into
  memory or onto disk — and a file that grows over the limit while it arrives is dropped; either
  way ``upload_refused(request)`` is true and the refusal is the same message as
  ``clean_upload``'s. The pages check ``declared_too_large`` before Django's CSRF check reads
  the body (as the import's upload page does).
- **Private storage**: files live under ``settings.PRIVATE_MEDIA_ROOT``, outside
  ``MEDIA_ROOT`` and the static files; ``PrivateStorage.url`` refuses to make a URL, so a file
  is only ever handed out by the registry's download view, after the access check and an
  audited read. A file is stored under a random name (``upload_path``): neither the person's
  name nor the uploader's file name reaches the disk.
"""

import hashlib
import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

NAME_MAX_LENGTH = 255
# Enough bytes to recognise every accepted type.
_HEAD_BYTES = 8


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes


ACCEPTED = (
    FileType("application/pdf", (".pdf",), b"%PDF-"),
    FileType("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    FileType("image/png", (".png",), b"\x89PNG\r\n\x1a\n"),
)
_BY_CONTENT_TYPE = {t.content_type: t for t in ACCEPTED}


class PrivateStorage(FileSystemStorage):
    """A ``FileSystemStorage`` at ``settings.PRIVATE_MEDIA_ROOT`` (read at each use, so that a
    test or a deployment may move it) that has no URLs."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them through an access-checked view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def upload_path(_instance: Any, filename: str) -> str:
    """A random name under ``attachments/`` keeping only the (already checked) extension."""
    extension = os.path.splitext(filename)[1].lower()
    return f"attachments/{uuid.uuid4().hex}{extension}"


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def too_large_message() -> str:
    return _("Файл завеликий: найбільший дозволений розмір — %(limit)s МБ.") % {
        "limit": f"{max_bytes() / (1024 * 1024):g}"
    }


# --- the size limit, before the body is read ------------------------------------------------

# Room for the document form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def body_limit() -> int:
    return max_bytes() + FORM_OVERHEAD_BYTES


def declared_too_large(request: HttpRequest) -> bool:
    """The request says (``Content-Length``) that its body is over the limit."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > body_limit()
    except ValueError:
        return False


class ScanUploadLimit(FileUploadHandler):
    """First among the upload handlers: refuses a body declared too large unread, and drops a
    file that grows over the limit while it arrives (``refused`` is then true)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.refused = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > body_limit():
            self.refused = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > max_bytes():
            self.refused = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_upload(request: HttpRequest) -> None:
    """Puts the scan's size limit first; before anything reads the request's body."""
    request.upload_handlers.insert(0, ScanUploadLimit(request))


def upload_refused(request: HttpRequest) -> bool:
    """Whether the scan was over the limit (the body is parsed first if nothing read it yet)."""
    request.FILES  # noqa: B018 (the parsing runs the limit's handler)
    return any(
        isinstance(handler, ScanUploadLimit) and handler.refused
        for handler in request.upload_handlers
    )


def sniff(head: bytes) -> FileType | None:
    """The accepted type these first bytes begin, or ``None``."""
    return next((t for t in ACCEPTED if head.startswith(t.magic)), None)


@dataclass(frozen=True)
class CleanUpload:
    """An uploaded file that passed the rules, with what is kept about it."""

    file: Any
    original_name: str
    content_type: str
    size: int
    sha256: str

    @property
    def stored_name(self) -> str:
        return download_name(self.original_name, self.content_type)


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _original_name(name: str) -> str:
    """The name as the uploader's computer had it: no folders, no control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    printable = "".join(ch for ch in base if ch.isprintable()).strip()
    return printable[-NAME_MAX_LENGTH:] or "scan"


def download_name(original_name: str, content_type: str) -> str:
    """``original_name`` with the extension of the type its bytes are (``scan.exe`` of a PDF
    is offered as ``scan.exe.pdf``)."""
    file_type = _BY_CONTENT_TYPE[content_type]
    if os.path.splitext(original_name)[1].lower() in file_type.extensions:
        return original_name
    return original_name + file_type.extensions[0]


def _digest(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def clean_upload(file: Any) -> CleanUpload:
    """``file`` (a Django ``UploadedFile``) checked against the rules of the module's
    docstring; ``ValidationError`` naming the rule it breaks."""
    if file is None:
        raise _refused(_("Оберіть файл скану: PDF, JPEG або PNG."), "required")
    size = file.size or 0
    if size == 0:
        raise _refused(_("Файл порожній: оберіть скан документа."), "empty")
    if size > max_bytes():
        raise _refused(too_large_message(), "too_large")
    file.seek(0)
    file_type = sniff(file.read(_HEAD_BYTES))
    if file_type is None:
        raise _refused(
            _("Цей файл не є PDF, JPEG або PNG (перевірено вміст файлу, а не його назву)."),
            "unsupported_type",
        )
    return CleanUpload(
        file=file,
        original_name=_original_name(file.name),
        content_type=file_type.content_type,
        size=size,
        sha256=_digest(file),
    )


def file_response(attachment: Any) -> FileResponse:
    """The scan as a download: never shown inline, never sniffed into another type, never
    cached on the way. ``Http404`` if its file is missing from the storage."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
