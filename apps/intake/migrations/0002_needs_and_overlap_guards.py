"""The needs the hubs name (seeds and DOMAIN.md), and on PostgreSQL exclusion constraints that
refuse overlapping booked appointments of one specialist, one person or one room — a safety
net under the service's own check (SQLite relies on that check alone)."""

from django.db import migrations

NEEDS = [
    # code, Ukrainian, English
    ("housing", "Житло, тимчасове розміщення", "Housing and accommodation"),
    ("employment", "Працевлаштування", "Employment"),
    ("retraining", "Перекваліфікація, навчання", "Retraining and learning"),
    ("psychological_support", "Психологічна підтримка", "Psychological support"),
    ("medical", "Медична допомога", "Medical help"),
    ("rehabilitation", "Реабілітація", "Rehabilitation"),
    ("legal_aid", "Правова допомога", "Legal aid"),
    ("social_payments", "Соціальні виплати, пільги", "Social payments and benefits"),
    ("humanitarian_aid", "Гуманітарна допомога", "Humanitarian aid"),
    ("documents", "Документи", "Documents"),
    ("childcare_education", "Догляд за дітьми, освіта", "Childcare and education"),
    ("home_care", "Соціальна допомога вдома", "Social care at home"),
    ("digital_literacy", "Цифрова грамотність", "Digital literacy"),
    ("coworking", "Коворкінг, робоче місце", "Coworking and a workplace"),
    ("other", "Інше", "Other"),
]

GUARDED = ("specialist_id", "person_id", "room_id")


def seed_needs(apps, schema_editor):
    Need = apps.get_model("intake", "Need")
    for order, (code, name, name_en) in enumerate(NEEDS, start=1):
        Need.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order * 10}
        )


def add_overlap_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for column in GUARDED:
        schema_editor.execute(
            f"ALTER TABLE intake_appointment ADD CONSTRAINT intake_appt_no_overlap_{column} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            f"WHERE (status = 'booked' AND {column} IS NOT NULL)"
        )


def drop_overlap_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in GUARDED:
        schema_editor.execute(
            f"ALTER TABLE intake_appointment DROP CONSTRAINT IF EXISTS "
            f"intake_appt_no_overlap_{column}"
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [
        migrations.RunPython(seed_needs, migrations.RunPython.noop),
        migrations.RunPython(add_overlap_guards, drop_overlap_guards),
    ]
