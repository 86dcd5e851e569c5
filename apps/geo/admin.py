from django.contrib import admin

from .models import Edition, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "level", "is_active"]
    list_filter = ["category", "level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "oblast", "raion", "hromada"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["date", "rows", "source", "loaded_at"]
