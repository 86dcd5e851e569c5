"""The person's card in the registry shows their requests through intake's card section."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_card_lists_the_persons_requests_and_offers_a_new_one(
    signed_in, cast, olena, taras, make_request
):
    mine = make_request(cast.registrar_a, olena, needs=["housing", "employment"])
    make_request(cast.registrar_a, taras, needs=["legal_aid"])
    body = (
        signed_in(cast.specialist_a)
        .get(reverse("registry:person-detail", args=[olena.pk]))
        .content.decode()
    )
    assert reverse("intake:request-detail", args=[mine.pk]) in body
    assert "Працевлаштування" in body
    assert "Правова допомога" not in body  # Тарас's request is not Олена's
    assert reverse("intake:request-new", args=[olena.pk]) in body


def test_a_person_without_requests_says_so(signed_in, cast, olena, needs):
    body = (
        signed_in(cast.registrar_a)
        .get(reverse("registry:person-detail", args=[olena.pk]))
        .content.decode()
    )
    assert "Звернень ще немає." in body
