"""The audit trail in Django admin: read-only itself, and the mixin that makes every other
admin page write to it. Only Django and this app are used here: other apps' admin modules
import ``AuditedModelAdmin``, never the other way round."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import router, transaction

from .models import AuditEvent
from .services import Action, record

_PAST = {
    Action.READ: "read",
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.DELETE: "deleted",
}


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


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change and delete leaves one audit event per object:
    its own objects, the objects of its inlines, and each object of "delete selected".

    The event is ``<app_label>.<model>.created|updated|deleted`` with the object, its
    community and organisation, and the names (never the values) of the changed form fields.
    It is written in the transaction of the change: Django runs the add, change and delete
    views inside ``atomic``; "delete selected" is wrapped here. A save that changes nothing
    leaves no event. Put it first among the bases: ``class UserAdmin(AuditedModelAdmin,
    DjangoUserAdmin)``."""

    audit_reason = "admin"
    # Form field names recorded under another name, e.g. {"password1": "password"}.
    audit_field_aliases: dict[str, str] = {}

    def audit_scope(self, obj) -> tuple[Any, Any]:
        """The community and organisation an event about ``obj`` belongs to: its own, or
        else its organisation's community (``record`` falls back to the scope of the user
        concerned). Override for objects scoped further away."""
        organisation = getattr(obj, "organisation", None)
        if obj._meta.label_lower == "directory.organisation":
            organisation = obj  # an organisation's own record belongs to it, not to its community
        community = getattr(obj, "community", None) or getattr(organisation, "community", None)
        return community, organisation

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening an object's page is a read of it, audited like a read anywhere else."""
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    self.audit(request, obj, Action.READ)
        return super().change_view(request, object_id, form_url, extra_context)

    def audit(
        self,
        request,
        obj,
        action: str,
        changed_fields=(),
        *,
        object_id: Any = None,
        scope: tuple[Any, Any] | None = None,
    ) -> None:
        """One event about ``obj`` by the signed-in administrator. ``object_id`` and
        ``scope`` for an object already deleted (its pk is gone)."""
        community, organisation = scope if scope is not None else self.audit_scope(obj)
        if action == Action.DELETE and organisation is obj:
            organisation = None  # the row is going: the event keeps its community
        record(
            actor=request.user,
            action=action,
            event=f"{obj._meta.label_lower}.{_PAST[action]}",
            target=obj,
            object_id=object_id if object_id is not None else obj.pk,
            community=community,
            organisation=organisation,
            changed_fields=[self.audit_field_aliases.get(name, name) for name in changed_fields],
            reason=self.audit_reason,
            scope_of=getattr(obj, "user", None),  # a token's or a device's: its owner's scope
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not form.has_changed():
            return
        self.audit(request, obj, Action.UPDATE if change else Action.CREATE, form.changed_data)

    def delete_model(self, request, obj):
        self.audit(request, obj, Action.DELETE)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # "Delete selected" runs outside Django's atomic views.
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                self.audit(request, obj, Action.DELETE)
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Taken before the save: deleting an object clears its pk.
        doomed = {
            id(f.instance): (f.instance.pk, self.audit_scope(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk is not None
        }
        forms = {id(f.instance): f for f in formset.forms}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            new_form = forms.get(id(obj))
            self.audit(request, obj, Action.CREATE, new_form.changed_data if new_form else ())
        for obj, changed_fields in formset.changed_objects:
            self.audit(request, obj, Action.UPDATE, changed_fields)
        for obj in formset.deleted_objects:
            pk, scope = doomed[id(obj)]
            self.audit(request, obj, Action.DELETE, object_id=pk, scope=scope)
