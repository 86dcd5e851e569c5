from django.contrib import admin
from django.urls import include, path

from apps.access.admin_site import restrict_admin_site
from apps.api.api import api
from apps.api.views import healthz

restrict_admin_site(admin.site)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("persons/", include("apps.registry.urls")),
    path("referrals/", include("apps.referrals.urls")),
    path("directory/", include("apps.directory.urls")),
    path("public/", include("apps.directory.public_urls")),
    path("", include("apps.intake.urls")),
    path("", include("apps.access.urls")),
]

handler400 = "apps.access.views.errors.bad_request"
handler403 = "apps.access.views.errors.permission_denied"
handler404 = "apps.access.views.errors.page_not_found"
handler500 = "apps.access.views.errors.server_error"
