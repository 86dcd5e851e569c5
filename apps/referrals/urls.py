"""Referrals' pages, under ``/referrals/``."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.outgoing_view, name="outgoing"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("new/<uuid:person_id>/", views.send_view, name="new"),
    path("<uuid:referral_id>/", views.detail_view, name="detail"),
    path("<uuid:referral_id>/letter.pdf", views.letter_view, name="letter"),
]
