"""Fixtures of the registry tests, on top of the root ``cast``."""

import json
from datetime import date

import pytest

from apps.access.actor import actor_for
from apps.registry import services
from apps.registry.identifiers import RNOKPP_EPOCH, rnokpp_check_digit


def rnokpp_of(birth_date: date, *, serial: str = "012", female: bool = True) -> str:
    """A valid РНОКПП encoding ``birth_date`` and the sex."""
    first_nine = f"{(birth_date - RNOKPP_EPOCH).days:05d}{serial}{'2' if female else '1'}"
    return first_nine + str(rnokpp_check_digit(first_nine))


@pytest.fixture
def maria(cast):
    """The registration form of Марія Шевчук, born 1985-03-14, in community A."""
    return {
        "last_name": "Шевчук",
        "first_name": "Марія",
        "patronymic": "Іванівна",
        "birth_date": "1985-03-14",
        "sex": "female",
        "phone": "067 123 45 67",
        "community": cast.community_a.code,
        "documents": [{"type": "rnokpp", "number": rnokpp_of(date(1985, 3, 14))}],
        "categories": ["IDP"],
    }


@pytest.fixture
def register():
    """``register(user, **data)`` → the registered person (through the service)."""

    def make(user, data, **kwargs):
        return services.person_register(actor=actor_for(user), data=data, **kwargs).person

    return make


@pytest.fixture
def maria_person(cast, maria, register):
    """Марія Шевчук registered in community A by its registrar."""
    return register(cast.registrar_a, maria)


@pytest.fixture
def bohdana(cast, register):
    """Богдана Вінничук registered in community B."""
    return register(
        cast.registrar_b,
        {
            "last_name": "Вінничук",
            "first_name": "Богдана",
            "birth_date": "1988-08-08",
            "sex": "female",
            "community": cast.community_b.code,
        },
    )


@pytest.fixture
def relative(cast, register):
    """``relative(first_name, birth_date)`` → another person of community A (a Шевчук)."""

    def make(first_name, birth_date, sex="male"):
        data = {
            "last_name": "Шевчук",
            "first_name": first_name,
            "birth_date": birth_date,
            "sex": sex,
            "community": cast.community_a.code,
        }
        return register(cast.registrar_a, data, confirm_not_duplicate=True)

    return make


def json_call(client, method: str, url: str, data=None):
    """A JSON request through the test client (``method`` as in HTTP)."""
    return client.generic(
        method, url, data=json.dumps(data or {}, default=str), content_type="application/json"
    )
