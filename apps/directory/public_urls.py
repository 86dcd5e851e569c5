"""The public, read-only listing of published services (``/public/``), for the portal."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("services/", views.public_services_view, name="services"),
]
