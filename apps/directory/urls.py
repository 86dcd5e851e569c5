"""The directory's pages under ``/directory/``; the public listing is ``public_urlpatterns``
(included at ``/public/``)."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("services/<uuid:service_id>/", views.service_detail_view, name="service-detail"),
    path("services/<uuid:service_id>/edit/", views.service_edit_view, name="service-edit"),
    path("services/<uuid:service_id>/hours/", views.service_hours_view, name="service-hours"),
    path("organisations/new/", views.organisation_new_view, name="organisation-new"),
    path(
        "organisations/<uuid:organisation_id>/",
        views.organisation_detail_view,
        name="organisation-detail",
    ),
    path(
        "organisations/<uuid:organisation_id>/edit/",
        views.organisation_edit_view,
        name="organisation-edit",
    ),
    path(
        "organisations/<uuid:organisation_id>/contacts/",
        views.organisation_contacts_view,
        name="organisation-contacts",
    ),
    path(
        "organisations/<uuid:organisation_id>/locations/new/",
        views.location_new_view,
        name="location-new",
    ),
    path(
        "organisations/<uuid:organisation_id>/services/new/",
        views.service_new_view,
        name="service-new",
    ),
    path("locations/<uuid:location_id>/edit/", views.location_edit_view, name="location-edit"),
]
