"""WSGI entry point: `gunicorn prostir.wsgi` (see the README's Deployment section)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prostir.settings")

application = get_wsgi_application()
