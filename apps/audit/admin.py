from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be changed through the app."""

    list_display = ["at", "actor_label", "action", "event", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "event", "object_id", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
