"""Fixtures of the API tests, on top of the root ``cast``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access import services
from apps.access.actor import actor_for


@pytest.fixture
def token_for():
    """``token_for(user, expires_in_days=None)`` → (token, its raw value)."""

    def make(user, **kwargs):
        return services.token_create(actor=actor_for(user), name="test", **kwargs)

    return make


@pytest.fixture
def expired_token(token_for, cast):
    token, raw = token_for(cast.partner_staff_a, expires_in_days=1)
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save(update_fields=["expires_at"])
    return raw


@pytest.fixture
def revoked_token(token_for, cast):
    token, raw = token_for(cast.partner_staff_a)
    services.token_revoke(actor=actor_for(cast.partner_staff_a), token=token)
    return raw


@pytest.fixture
def csrf_client(client):
    """The default ``client`` (so ``signed_in`` signs it in), enforcing CSRF as a browser meets
    it (see ``helpers.csrf_header``)."""
    client.handler.enforce_csrf_checks = True
    return client
