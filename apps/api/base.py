"""``ProstirAPI``: a NinjaAPI whose every answer is JSON — errors in one shape (see
``errors``), also for the paths and methods it does not know — with offline docs, and an
OpenAPI schema that documents the error shape on every operation."""

from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import docs
from .errors import error_response, register_exception_handlers
from .schemas import ErrorOut

_REF_TEMPLATE = "#/components/schemas/{model}"


class Utf8JSONRenderer(JSONRenderer):
    """Cyrillic as itself rather than ``\\u`` escapes: readable, and a third of the size."""

    json_dumps_params = {"ensure_ascii": False}


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Django's bare 405 (ninja answers a wrong method with one) becomes the API's JSON error;
    ``Content-Language`` names the language the answer is in (a bearer token may have changed
    it after the language middleware ran)."""
    if isinstance(response, HttpResponseNotAllowed):
        allowed = response["Allow"]
        response = error_response(request, 405)
        response["Allow"] = allowed
    response["Content-Language"] = translation.get_language()
    return response


def _api_view(view):
    """Wraps one URL's view of the API: see ``_finish``; a stray ``Http404`` is JSON too."""
    if iscoroutinefunction(view):

        @wraps(view)
        async def async_wrapper(request, *args, **kwargs):
            try:
                response = await view(request, *args, **kwargs)
            except Http404:
                response = error_response(request, 404)
            return _finish(request, response)

        return async_wrapper

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = error_response(request, 404)
        return _finish(request, response)

    return wrapper


@csrf_exempt
def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def _wrapped(pattern: Any) -> Any:
    if not isinstance(pattern, URLPattern):
        return pattern
    return URLPattern(
        pattern.pattern, _api_view(pattern.callback), pattern.default_args, pattern.name
    )


def _document_errors(schema: dict) -> None:
    """Adds ``ErrorOut`` to the components and, as the ``default`` response, to every operation."""
    error_schema = ErrorOut.model_json_schema(ref_template=_REF_TEMPLATE)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error_schema.pop("$defs", {}))
    components[ErrorOut.__name__] = error_schema
    default = {
        "description": "Error / Помилка",
        "content": {
            "application/json": {"schema": {"$ref": _REF_TEMPLATE.format(model=ErrorOut.__name__)}}
        },
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("default", default)


class ProstirAPI(NinjaAPI):
    """JSON rendered as UTF-8, the error handlers of ``errors``, offline docs; every URL of the
    API wrapped by ``_api_view``, and a JSON 404 for any path under it that it does not know."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("renderer", Utf8JSONRenderer())
        kwargs.setdefault("docs", docs.OfflineSwagger())
        super().__init__(**kwargs)
        register_exception_handlers(self)

    @property
    def urls(self) -> tuple[list, str, str]:
        patterns, app_name, namespace = super().urls
        patterns = [
            *patterns,
            path("docs/assets/<str:name>", docs.asset, name="docs-asset"),
            re_path(r"^.*$", _unknown_path),  # last: whatever the API does not know
        ]
        return [_wrapped(pattern) for pattern in patterns], app_name, namespace

    def get_openapi_schema(self, **kwargs: Any) -> dict:
        schema = super().get_openapi_schema(**kwargs)
        _document_errors(schema)
        return schema
