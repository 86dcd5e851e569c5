"""Intake's pages, under ``/requests/`` and ``/appointments/`` (included at the root)."""

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("requests/triage/", views.triage_view, name="triage"),
    path("requests/new/<uuid:person_id>/", views.request_new_view, name="request-new"),
    path("requests/<uuid:request_id>/", views.request_detail_view, name="request-detail"),
    path(
        "appointments/book/<uuid:request_id>/",
        views.appointment_book_view,
        name="appointment-book",
    ),
]
