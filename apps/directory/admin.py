from django.contrib import admin
from django.db import models
from django.db.models import F

from apps.audit.admin import AuditedModelAdmin

from . import services
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


class _VersionedAdmin(AuditedModelAdmin):
    """An admin change counts like a change on the directory's pages: it moves the object's
    ``version`` on (and a service's changed in the organisation's list of services), so a page
    opened before it is told of the conflict instead of silently overwriting it."""

    readonly_fields = ["version"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            if formset.model is Service:
                changed = [obj.pk for obj, _fields in formset.changed_objects]
                Service.objects.filter(pk__in=changed).update(version=F("version") + 1)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            obj = form.instance
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.refresh_from_db(fields=["version"])
            if isinstance(obj, Organisation):
                services.services_changed_with(obj.pk)


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
class OrganisationAdmin(_VersionedAdmin):
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
class ServiceAdmin(_VersionedAdmin):
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
