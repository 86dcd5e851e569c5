"""A test-only URL configuration: the project's own, its error handlers, and one page that
fails, so that the 500 page can be seen through the live server (``screens.py``)."""

from django.urls import include, path

from prostir.urls import handler400, handler403, handler404, handler500

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

FAILING_PAGE = "/boom/"


def _fail(request):
    raise RuntimeError("a page that fails on purpose: the 500 page's browser test")


urlpatterns = [path(FAILING_PAGE.strip("/") + "/", _fail), path("", include("prostir.urls"))]
