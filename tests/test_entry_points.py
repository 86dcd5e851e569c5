"""The servers' entry points load: runserver and gunicorn use prostir.wsgi.application."""

from django.conf import settings
from django.core.servers.basehttp import get_internal_wsgi_application
from django.test import Client


def test_wsgi_application_loads_and_serves(db):
    application = get_internal_wsgi_application()
    assert settings.WSGI_APPLICATION == "prostir.wsgi.application"
    assert callable(application)
    assert Client().get("/healthz").status_code == 200


def test_asgi_application_loads():
    from prostir.asgi import application

    assert callable(application)
