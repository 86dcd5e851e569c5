"""The interactive API docs (Swagger UI) with no internet access needed.

Django Ninja ships the Swagger UI files, but links them through ``{% static %}`` only when
``ninja`` is in ``INSTALLED_APPS``, and otherwise from a CDN. Here the page always links them
from this server: ``asset`` serves the few files the page needs straight from the installed
package (so no ``collectstatic`` step and no setting either), versioned for caching. (The
API's URL wrapper turns this module's 404 and 405 into JSON errors.)"""

from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from ninja.openapi.docs import Swagger

_ASSETS_DIR = Path(ninja.__file__).parent / "static" / "ninja"
# What the page needs, by the name the template uses.
ASSETS = {
    "css": "swagger-ui.css",
    "bundle": "swagger-ui-bundle.js",
    "init": "swagger-ui-init.js",
    "icon_svg": "favicon.svg",
    "icon_png": "favicon.png",
}
_ONE_WEEK = 7 * 24 * 60 * 60


class OfflineSwagger(Swagger):
    template = "api/docs.html"
    # No online validator badge: it would call validator.swagger.io.
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "api": api,
            "swagger_settings": swagger_settings,
            "add_csrf": any(getattr(auth, "csrf", False) for auth in api.auth or ()),
            "assets": {key: _asset_url(api, name) for key, name in ASSETS.items()},
        }
        return render(request, self.template, context)


def _asset_url(api: Any, name: str) -> str:
    return f"{reverse(f'{api.urls_namespace}:docs-asset', args=[name])}?v={ninja.__version__}"


@require_safe
def asset(request: HttpRequest, name: str) -> HttpResponse:
    """One of the Swagger UI files of the installed django-ninja; nothing else."""
    if name not in ASSETS.values():
        raise Http404
    response = FileResponse((_ASSETS_DIR / name).open("rb"))
    response["Cache-Control"] = f"public, max-age={_ONE_WEEK}"
    return response
