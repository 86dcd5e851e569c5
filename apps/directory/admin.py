from django.contrib import admin
from django.db import models

from apps.audit.admin import AuditedModelAdmin

from .models import (
    Contact,
    Location,
    Organisation,
    Room,
    Schedule,
    ScheduleException,
    Service,
    ServiceAtLocation,
    ServiceNeed,
)


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    raw_id_fields = ["settlement"]


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["name", "sector", "classifier_code", "status", "visibility", "accepting_referrals"]
    show_change_link = True


class OrganisationContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone", "service"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    """Locations, services and contacts are saved, and audited, by the organisation's page."""

    list_display = ["name", "kind", "community", "is_active"]
    list_filter = ["kind", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name", "name_en", "slug", "edrpou"]
    raw_id_fields = ["community", "parent"]
    inlines = [LocationInline, ServiceInline, OrganisationContactInline]


class ServiceNeedInline(admin.TabularInline):
    model = ServiceNeed
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


class ScheduleExceptionInline(admin.TabularInline):
    model = ScheduleException
    extra = 0


class ServiceContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["organisation", "name", "title", "email", "phone"]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    """A service with its needs, locations, hours, exceptions and contacts, each audited in
    the service's organisation and community."""

    list_display = ["name", "organisation", "sector", "status", "visibility"]
    list_filter = ["sector", "status", "visibility", "accepting_referrals", "is_basic"]
    search_fields = ["name", "name_en", "organisation__name", "classifier_code"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    raw_id_fields = ["organisation"]
    filter_horizontal = ["areas"]
    inlines = [
        ServiceNeedInline,
        ServiceAtLocationInline,
        ScheduleInline,
        ScheduleExceptionInline,
        ServiceContactInline,
    ]

    def audit_scope(self, obj):
        service = obj if isinstance(obj, Service) else obj.service
        organisation = service.organisation
        return organisation.community, organisation


@admin.register(Room)
class RoomAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "capacity", "location"]
    list_filter = ["kind"]

    def audit_scope(self, obj):
        organisation = obj.location.organisation
        return organisation.community, organisation
