"""The needs taxonomy is configured in Django admin (administrators only); every change is
audited. Requests and appointments are worked on in the app's own pages, not here."""

from django.contrib import admin

from apps.audit.admin import AuditedModelAdmin

from .models import Need


@admin.register(Need)
class NeedAdmin(AuditedModelAdmin):
    list_display = ["name", "name_en", "code", "parent", "active", "order"]
    list_filter = ["active"]
    search_fields = ["name", "name_en", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # retired needs are made inactive: old requests keep naming them
