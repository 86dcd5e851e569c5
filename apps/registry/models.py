"""Persons served by the hubs, their documents, phones, categories, consents and households.

A person is held by one community (``community``, the hromada whose hub registered them or took
them over) and the hub that registered them (``organisation``): the access policy scopes by
those. Search keys are stored beside the names (see ``apps.registry.names``) so that blocking by
birth date or by birth year + surname sound is an indexed lookup. ``version`` is the optimistic
lock of records people edit together. A merged person keeps its row and points to the survivor
(``merged_into``), so old ids still answer. ``field_versions`` names, per editable field, the
version that last changed it: an edit made on an older version is told exactly which of its
fields someone else changed meanwhile.

A person moves between hubs only through an ``AccessTransfer`` the holding hub grants: the
record moves (community and hub), the old hub loses access (see ``apps.registry.services``).
"""

import uuid
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .attachments import private_storage, upload_path
from .identifiers import DocumentType, Sex

__all__ = [
    "AccessTransfer",
    "Category",
    "Consent",
    "ConsentScope",
    "Document",
    "DocumentAttachment",
    "DocumentType",
    "Household",
    "HouseholdMember",
    "NameKey",
    "OutgoingTransfer",
    "Person",
    "PersonCategory",
    "PersonPhone",
    "Relationship",
    "Sex",
    "TransferStatus",
]

NAME_MAX_LENGTH = 150
# The Latin spelling and the search keys of a name are longer than the name: the national
# table writes one letter as up to four (щ → shch), so their columns are four times as wide.
# ``fields.clean_name`` refuses a name whose spelling or keys would still not fit.
LATIN_NAME_MAX_LENGTH = 4 * NAME_MAX_LENGTH


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб, що зареєстрував"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_name = models.CharField(_("прізвище"), max_length=NAME_MAX_LENGTH)
    first_name = models.CharField(_("ім'я"), max_length=NAME_MAX_LENGTH)
    patronymic = models.CharField(_("по батькові"), max_length=NAME_MAX_LENGTH, blank=True)
    last_name_latin = models.CharField(
        _("прізвище латиницею"), max_length=LATIN_NAME_MAX_LENGTH, blank=True
    )
    first_name_latin = models.CharField(
        _("ім'я латиницею"), max_length=LATIN_NAME_MAX_LENGTH, blank=True
    )
    latin_edited = models.BooleanField(
        _("латиницю виправлено вручну"),
        default=False,
        help_text=_("Як у паспорті, коли він не збігається з національною таблицею."),
    )
    birth_date = models.DateField(_("дата народження"))
    sex = models.CharField(_("стать"), max_length=8, choices=Sex.choices)
    email = models.EmailField(_("електронна пошта"), blank=True)
    preferred_language = models.CharField(_("мова спілкування"), max_length=8, default="uk")
    origin_unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("місце реєстрації (до переміщення)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin_address = models.CharField(_("адреса реєстрації"), max_length=255, blank=True)
    current_unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("місце фактичного проживання"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    current_address = models.CharField(_("фактична адреса"), max_length=255, blank=True)

    # Search keys (apps.registry.names.person_keys), kept in step by the services.
    key_last = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True, db_index=True)
    key_first = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True)
    key_patronymic = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True)
    latin_last = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True, db_index=True)
    latin_first = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True)
    latin_patronymic = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True)
    surname_sound = models.CharField(max_length=LATIN_NAME_MAX_LENGTH, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    # {field name: the version that last changed it} — the edit-conflict details.
    field_versions = models.JSONField(default=dict, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(_("зареєстровано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто зареєстрував"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("особа")
        verbose_name_plural = _("особи")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [
            models.Index(fields=["birth_date"], name="registry_person_birth"),
            models.Index(fields=["birth_year", "surname_sound"], name="registry_person_year_sound"),
            # The name block of the search: similar surname x given name x patronymic keys.
            models.Index(
                fields=["latin_last", "latin_first", "latin_patronymic"],
                name="registry_person_latin_names",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def age_on(self, day) -> int:
        """Full years on ``day``."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def category_codes_on(self, day) -> set[str]:
        """The codes of the categories the person belongs to on ``day``."""
        return {
            c.code
            for c in self.categories.all()
            if (c.valid_from is None or c.valid_from <= day)
            and (c.valid_to is None or day <= c.valid_to)
        }


class NameKey(models.Model):
    """The vocabulary of the Latin name keys in use (``Person.latin_last`` as ``part`` "last",
    ``latin_first`` as "first", ``latin_patronymic`` as "patronymic"): the search finds the
    keys similar to a typed name here — a few thousand rows, trigram-indexed per part on
    PostgreSQL — instead of in a million persons.

    Kept by database triggers on ``registry_person`` (migration ``0002_search_at_scale``), so
    every write path (registration, import, merge, ``COPY``) feeds it. Keys are never removed:
    a key nobody carries any more only finds nobody."""

    LAST = "last"
    FIRST = "first"
    PATRONYMIC = "patronymic"

    part = models.CharField(max_length=16)
    key = models.CharField(max_length=LATIN_NAME_MAX_LENGTH)

    class Meta:
        constraints = [
            # The key first: an index led by the part would tempt PostgreSQL to walk every key
            # of the part instead of using the part's trigram index.
            models.UniqueConstraint(fields=["key", "part"], name="registry_namekey_once"),
        ]

    def __str__(self) -> str:
        return f"{self.part}: {self.key}"


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("телефон"), max_length=20, help_text=_("У форматі E.164."))
    is_primary = models.BooleanField(_("основний"), default=True)

    class Meta:
        verbose_name = _("телефон")
        verbose_name_plural = _("телефони")
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="registry_phone_once"),
        ]
        indexes = [models.Index(fields=["number"], name="registry_phone_number")]

    def __str__(self) -> str:
        return self.number


class Document(models.Model):
    """An identity or status document. ``number`` is stored normalised (the identifier rules);
    ``override_reason`` says why a warning (e.g. a birth date that disagrees with the РНОКПП)
    was accepted — the real document wins."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("тип документа"), max_length=32, choices=DocumentType.choices)
    number = models.CharField(_("номер"), max_length=64)
    issued_on = models.DateField(_("дата видачі"), null=True, blank=True)
    issuer = models.CharField(_("ким видано"), max_length=255, blank=True)
    valid_until = models.DateField(_("дійсний до"), null=True, blank=True)
    override_reason = models.CharField(
        _("чому прийнято попри попередження"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документи")
        constraints = [
            # A personal number belongs to one person (duplicates are merged, not created).
            models.UniqueConstraint(
                fields=["type", "number"],
                condition=Q(type__in=[DocumentType.RNOKPP, DocumentType.UNZR]),
                name="registry_document_personal_number_once",
            ),
        ]
        indexes = [models.Index(fields=["number"], name="registry_document_number")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"


class DocumentAttachment(models.Model):
    """A scan of a document (optional). The file is in the private storage
    (``apps.registry.attachments``), never reachable by a URL of its own; ``content_type`` is
    what its bytes are, ``original_name`` what the uploader called it. Deleting the row removes
    the file once the deletion commits (``_remove_file``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("файл"), storage=private_storage, upload_to=upload_path)
    original_name = models.CharField(_("назва файлу"), max_length=255)
    content_type = models.CharField(_("тип файлу"), max_length=64)
    size = models.PositiveBigIntegerField(_("розмір, байтів"))
    sha256 = models.CharField(_("контрольна сума SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто завантажив"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("завантажено"), auto_now_add=True)

    class Meta:
        verbose_name = _("скан документа")
        verbose_name_plural = _("скани документів")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_note(self) -> str:
        """What the audit trail says of the scan (its name may carry personal data: not that)."""
        return f"document {self.document_id} attachment {self.pk}"


@receiver(post_delete, sender=DocumentAttachment)
def _remove_file(sender, instance: DocumentAttachment, **kwargs) -> None:
    """However the row goes (its document deleted, the person's merge, the admin), its file
    goes when the deletion commits — not before, so a rolled-back deletion keeps it."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(partial(storage.delete, name))


class Category(models.TextChoices):
    """Categories served (DOMAIN.md §6)."""

    IDP = "IDP", _("Внутрішньо переміщена особа")
    UBD = "UBD", _("Учасник бойових дій")
    WAR_DISABLED = "WAR_DISABLED", _("Особа з інвалідністю внаслідок війни")
    FALLEN_FAMILY = "FALLEN_FAMILY", _("Член сім'ї загиблого (померлого) Захисника чи Захисниці")
    MISSING_FAMILY = "MISSING_FAMILY", _("Член сім'ї зниклого безвісти за особливих обставин")
    CAPTIVE_FAMILY = "CAPTIVE_FAMILY", _("Член сім'ї особи, позбавленої свободи через агресію")
    MILITARY = "MILITARY", _("Військовослужбовець")
    MIL_FAMILY = "MIL_FAMILY", _("Член сім'ї військовослужбовця")
    DIS_I = "DIS_I", _("Особа з інвалідністю I групи")
    DIS_II = "DIS_II", _("Особа з інвалідністю II групи")
    DIS_III = "DIS_III", _("Особа з інвалідністю III групи")
    DIS_CHILD = "DIS_CHILD", _("Дитина з інвалідністю")
    ELDERLY = "ELDERLY", _("Особа похилого віку")
    LARGE_FAMILY = "LARGE_FAMILY", _("Багатодітна сім'я")
    LOW_INCOME = "LOW_INCOME", _("Малозабезпечена сім'я")
    DV = "DV", _("Постраждала від домашнього насильства")
    RESIDENT = "RESIDENT", _("Інший мешканець громади")


class PersonCategory(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("категорія"), max_length=32, choices=Category.choices)
    valid_from = models.DateField(_("з"), null=True, blank=True)
    valid_to = models.DateField(_("по"), null=True, blank=True)
    evidence = models.CharField(_("підстава"), max_length=255, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто перевірив"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("категорія особи")
        verbose_name_plural = _("категорії особи")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="registry_category_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class ConsentScope(models.TextChoices):
    HUB = "hub", _("Лише цей хаб")
    PARTNERS = "partners", _("Хаб і партнери за направленням")


class Consent(models.Model):
    """Consent to process personal data for a purpose (Law 2297-VI): what is not consented to is
    not shared. Withdrawn, not deleted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.CharField(_("мета"), max_length=255)
    scope = models.CharField(_("кому"), max_length=16, choices=ConsentScope.choices)
    recorded_at = models.DateTimeField(_("записано"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто записав"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("відкликано"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто записав відкликання"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("згода")
        verbose_name_plural = _("згоди")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_scope_display()})"


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("домогосподарство")
        verbose_name_plural = _("домогосподарства")

    def __str__(self) -> str:
        return str(self.id)


class Relationship(models.TextChoices):
    HEAD = "head", _("Голова домогосподарства")
    SPOUSE = "spouse", _("Чоловік або дружина")
    CHILD = "child", _("Дитина")
    PARENT = "parent", _("Батько або мати")
    SIBLING = "sibling", _("Брат або сестра")
    GRANDCHILD = "grandchild", _("Онук або онука")
    GRANDPARENT = "grandparent", _("Дідусь або бабуся")
    OTHER = "other", _("Інший родич або член домогосподарства")


class HouseholdMember(models.Model):
    """A person's membership of a household over time: one current household per person; a move
    closes the old row (``left_on``) and opens a new one, so history stays."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="households")
    relationship = models.CharField(
        _("ким доводиться голові"), max_length=16, choices=Relationship.choices
    )
    joined_on = models.DateField(_("з"))
    left_on = models.DateField(_("по"), null=True, blank=True)

    class Meta:
        verbose_name = _("член домогосподарства")
        verbose_name_plural = _("члени домогосподарства")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="registry_one_current_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(left_on__isnull=True, relationship="head"),
                name="registry_one_current_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relationship_display()}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Очікує рішення")
    GRANTED = "granted", _("Передано")
    REFUSED = "refused", _("Відмовлено")
    CANCELLED = "cancelled", _("Скасовано")


class AccessTransfer(models.Model):
    """A hub's request to take over a person another hub holds (an IDP moved). The holding hub
    (``from_*``) decides; on a grant the person's record moves to the requesting hub
    (``to_*``). Scoped for the holder: ``OutgoingTransfer`` is the requester's view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада, що передає"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб, що передає"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада, що приймає"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб, що приймає"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("підстава запиту"), max_length=500)
    status = models.CharField(
        _("стан"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто запросив"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("запитано"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто вирішив"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("вирішено"), null=True, blank=True)
    decision_note = models.CharField(_("примітка до рішення"), max_length=500, blank=True)

    SCOPE_COMMUNITY = "from_community"
    SCOPE_ORGANISATION = "from_organisation"

    class Meta:
        verbose_name = _("запит на передачу особи")
        verbose_name_plural = _("запити на передачу осіб")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "to_organisation"],
                condition=Q(status="requested"),
                name="registry_transfer_one_open_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.to_organisation_id}"


class OutgoingTransfer(AccessTransfer):
    """The same requests scoped for the requesting hub."""

    SCOPE_COMMUNITY = "to_community"
    SCOPE_ORGANISATION = "to_organisation"

    class Meta:
        proxy = True
        verbose_name = _("вихідний запит на передачу особи")
        verbose_name_plural = _("вихідні запити на передачу осіб")


# The person import's tables live beside their code (apps/registry/imports/).
from .imports.models import ImportJob, ImportRowIssue  # noqa: E402, F401
