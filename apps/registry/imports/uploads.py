"""The size limit of an import upload, enforced before the body is read.

``ImportUploadLimit`` goes first among a request's upload handlers (``install``): a body whose
``Content-Length`` is over the limit is not parsed at all — no byte of it is read, into memory
or onto disk — and a file that grows over the limit while it arrives is dropped. Either way
``refused(request)`` is true and the page or the API says so. The pages must install it before
Django's CSRF check reads the body (see ``apps.registry.views.imports``)."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from .reading import max_bytes

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def body_limit() -> int:
    return max_bytes() + FORM_OVERHEAD_BYTES


def declared_too_large(request: HttpRequest) -> bool:
    """The request says (``Content-Length``) that its body is over the limit."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > body_limit()
    except ValueError:
        return False


class ImportUploadLimit(FileUploadHandler):
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


def install(request: HttpRequest) -> None:
    request.upload_handlers.insert(0, ImportUploadLimit(request))


def refused(request: HttpRequest) -> bool:
    return any(getattr(handler, "refused", False) for handler in request.upload_handlers)
