from django.urls import path  # noqa: F401  (pages are added as they arrive)

app_name = "registry"

urlpatterns: list = []
