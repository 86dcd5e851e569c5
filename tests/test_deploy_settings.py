"""Production settings pass Django's deployment checklist with no warnings."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _check_deploy(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _check_deploy(
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="hub.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_plain_http_settings_are_flagged_by_check_deploy():
    result = _check_deploy(DEBUG="false", HTTPS="false", SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr  # SECURE_SSL_REDIRECT


def test_production_without_a_secret_key_refuses_to_start():
    env = {"DEBUG": "false", "HTTPS": "true", "ALLOWED_HOSTS": "hub.example.org"}
    result = _check_deploy(**env, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
