"""The search at scale: the vocabulary of name keys (``NameKey``) kept by triggers on
``registry_person``, a trigram index on it (PostgreSQL, ``pg_trgm``), and the index of the
name block (latin_last, latin_first, latin_patronymic).

PostgreSQL: ``CREATE EXTENSION pg_trgm`` needs a superuser, or (PostgreSQL 13+, where pg_trgm
is a trusted extension) a user with CREATE on the database; a deployment whose application
user has neither creates it once beforehand (README, Deployment) — ``IF NOT EXISTS`` then
passes. SQLite has no trigram index: the search compares the vocabulary in Python there.
"""

from django.conf import settings
from django.db import migrations, models


# The keys a statement's rows bring, into the vocabulary (empty keys are not words).
POSTGRES_FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION registry_namekey_learn() RETURNS trigger AS $$
BEGIN
    INSERT INTO registry_namekey (part, key)
        SELECT 'last', latin_last FROM new_rows WHERE latin_last <> ''
        UNION SELECT 'first', latin_first FROM new_rows WHERE latin_first <> ''
        UNION SELECT 'patronymic', latin_patronymic FROM new_rows WHERE latin_patronymic <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER registry_person_namekey_insert AFTER INSERT ON registry_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_namekey_learn();
CREATE TRIGGER registry_person_namekey_update AFTER UPDATE ON registry_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_namekey_learn();
INSERT INTO registry_namekey (part, key)
    SELECT 'last', latin_last FROM registry_person WHERE latin_last <> ''
    UNION SELECT 'first', latin_first FROM registry_person WHERE latin_first <> ''
    UNION SELECT 'patronymic', latin_patronymic FROM registry_person WHERE latin_patronymic <> ''
ON CONFLICT DO NOTHING;
-- After the backfill, and without the pending list: new keys are rare once names are known,
-- and a GIN pending list would be read linearly by every search until the next vacuum.
CREATE INDEX registry_namekey_last_trgm ON registry_namekey USING gin (key gin_trgm_ops)
    WITH (fastupdate = off) WHERE part = 'last';
CREATE INDEX registry_namekey_first_trgm ON registry_namekey USING gin (key gin_trgm_ops)
    WITH (fastupdate = off) WHERE part = 'first';
CREATE INDEX registry_namekey_patronymic_trgm ON registry_namekey USING gin (key gin_trgm_ops)
    WITH (fastupdate = off) WHERE part = 'patronymic';
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS registry_person_namekey_update ON registry_person;
DROP TRIGGER IF EXISTS registry_person_namekey_insert ON registry_person;
DROP FUNCTION IF EXISTS registry_namekey_learn();
DROP INDEX IF EXISTS registry_namekey_last_trgm;
DROP INDEX IF EXISTS registry_namekey_first_trgm;
DROP INDEX IF EXISTS registry_namekey_patronymic_trgm;
"""
_SQLITE_LEARN = """
    INSERT OR IGNORE INTO registry_namekey (part, key)
        SELECT 'last', NEW.latin_last WHERE NEW.latin_last <> '';
    INSERT OR IGNORE INTO registry_namekey (part, key)
        SELECT 'first', NEW.latin_first WHERE NEW.latin_first <> '';
    INSERT OR IGNORE INTO registry_namekey (part, key)
        SELECT 'patronymic', NEW.latin_patronymic WHERE NEW.latin_patronymic <> '';
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER registry_person_namekey_insert AFTER INSERT ON registry_person
        BEGIN {_SQLITE_LEARN} END;""",
    f"""CREATE TRIGGER registry_person_namekey_update
        AFTER UPDATE OF latin_last, latin_first, latin_patronymic ON registry_person
        BEGIN {_SQLITE_LEARN} END;""",
    """INSERT OR IGNORE INTO registry_namekey (part, key)
        SELECT 'last', latin_last FROM registry_person WHERE latin_last <> ''
        UNION SELECT 'first', latin_first FROM registry_person WHERE latin_first <> ''
        UNION SELECT 'patronymic', latin_patronymic FROM registry_person
            WHERE latin_patronymic <> '';""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_person_namekey_insert;",
    "DROP TRIGGER IF EXISTS registry_person_namekey_update;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
        ('geo', '0001_initial'),
        ('registry', '0004_longer_latin_columns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(max_length=16)),
                ('key', models.CharField(max_length=600)),
            ],
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['latin_last', 'latin_first', 'latin_patronymic'], name='registry_person_latin_names'),
        ),
        migrations.AddConstraint(
            model_name='namekey',
            constraint=models.UniqueConstraint(fields=('key', 'part'), name='registry_namekey_once'),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
