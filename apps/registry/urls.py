from django.urls import path

from .views import persons

app_name = "registry"

urlpatterns = [
    path("", persons.person_search_view, name="search"),
    path("new/", persons.person_register_view, name="register"),
    path("<uuid:person_id>/", persons.person_detail_view, name="person-detail"),
]
