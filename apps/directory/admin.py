from django.contrib import admin
from django.db import models

from apps.audit.admin import AuditedModelAdmin

from .models import Location, Organisation, Room, Service


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    raw_id_fields = ["settlement"]


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    """Locations and services are saved, and audited, by the organisation's page."""

    list_display = ["name", "kind", "community", "is_active"]
    list_filter = ["kind", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name", "name_en", "slug", "edrpou"]
    raw_id_fields = ["community"]
    inlines = [LocationInline, ServiceInline]


@admin.register(Room)
class RoomAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "capacity", "location"]
    list_filter = ["kind"]

    def audit_scope(self, obj):
        organisation = obj.location.organisation
        return organisation.community, organisation
