"""The REST API: one Ninja object under /api/v1/, its auth and its error format. Routers live in
each context's ``api.py`` and are mounted here."""
