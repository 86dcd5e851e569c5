"""The directory: organisations (hubs and partners), their locations, rooms and services.

Shaped after Open Referral HSDS 3.0 (DOMAIN.md §9) so that export and import map field to
field: every object HSDS names carries a stable ``uuid`` (the HSDS ``id``), services have
weekly schedules plus dated exceptions, contacts, eligibility, fees and the referral terms
(accepting referrals, response and completion times in working days).

Needs (the intake taxonomy) and person categories (the registry's codes) are kept here as
plain codes: both vocabularies belong to contexts above the directory, which register their
choices with :mod:`apps.directory.vocabularies`.
"""

import uuid
from datetime import time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """Catalogue text entered by staff in Ukrainian, with an optional English version."""

    name = models.CharField(_("назва"), max_length=255)
    name_en = models.CharField(_("назва англійською"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "uk").startswith("en"):
            return self.name_en
        return self.name


class OrganisationKind(models.TextChoices):
    HUB = "hub", _("Хаб соціальних послуг")
    MUNICIPAL_SOCIAL_SERVICE = "municipal_social", _("Муніципальна соціальна служба")
    TERRITORIAL_CENTRE = "territorial_centre", _("Територіальний центр")
    EMPLOYMENT_CENTRE = "employment_centre", _("Центр зайнятості")
    MEDICAL = "medical", _("Медичний заклад")
    LEGAL_AID = "legal_aid", _("Правова допомога")
    NGO = "ngo", _("Громадська організація")
    INTERNATIONAL = "international", _("Міжнародна організація")
    VOLUNTEER_GROUP = "volunteer_group", _("Волонтерська група")
    BUSINESS = "business", _("Бізнес")


class Organisation(BilingualName):
    """A hub or a partner organisation. Staff memberships point here."""

    # The access policy (apps/access/policies.py): a grant on a community covers the
    # organisations of that community; a grant on an organisation covers that organisation; a
    # grant naming both covers that organisation only (a hub's staff keep their hromada's
    # directory: see ``selectors.directory_actor``).
    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "pk"

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    slug = models.SlugField(_("коротке ім'я"), max_length=64, unique=True)
    kind = models.CharField(_("вид"), max_length=32, choices=OrganisationKind.choices)
    alternate_name = models.CharField(_("інша назва"), max_length=255, blank=True)
    legal_status = models.CharField(_("організаційно-правова форма"), max_length=255, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(
        _("рік заснування"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("головна організація"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="branches",
    )
    community = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("громада"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    edrpou = models.CharField(_("код ЄДРПОУ"), max_length=8, blank=True)
    email = models.EmailField(_("електронна пошта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    website = models.URLField(_("вебсайт"), blank=True)
    description = models.TextField(_("опис"), blank=True)
    is_active = models.BooleanField(_("діє"), default=True)
    version = models.PositiveIntegerField(default=1)
    last_modified = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("організація")
        verbose_name_plural = _("організації")

    @property
    def is_hub(self) -> bool:
        return self.kind == OrganisationKind.HUB


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Приміщення")
    POSTAL = "postal", _("Поштова адреса")
    VIRTUAL = "virtual", _("Онлайн")


class Location(BilingualName):
    SCOPE_COMMUNITY = "organisation__community"
    SCOPE_ORGANISATION = "organisation"

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(
        _("вид локації"), max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    settlement = models.ForeignKey(
        "geo.Unit", verbose_name=_("населений пункт"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("адреса"), max_length=255)
    postal_code = models.CharField(_("поштовий індекс"), max_length=5, blank=True)
    description = models.TextField(_("опис"), blank=True)
    transportation = models.TextField(_("як дістатися"), blank=True)
    latitude = models.DecimalField(
        _("широта"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("довгота"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    step_free = models.BooleanField(_("вхід без сходинок"), default=False)
    accessibility = models.TextField(_("доступність приміщення"), blank=True)
    languages = models.JSONField(_("мови обслуговування"), default=list, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("локація")
        verbose_name_plural = _("локації")


class RoomKind(models.TextChoices):
    CONSULTATION = "consultation", _("Кабінет для консультацій")
    GROUP = "group", _("Зала для груп і заходів")
    COWORKING = "coworking", _("Коворкінг")
    CHILDREN = "children", _("Дитяча кімната")


class Room(BilingualName):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    kind = models.CharField(_("призначення"), max_length=32, choices=RoomKind.choices)
    capacity = models.PositiveSmallIntegerField(_("місткість"), default=1)

    class Meta:
        ordering = ["location", "name"]
        verbose_name = _("приміщення")
        verbose_name_plural = _("приміщення")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Надається")
    INACTIVE = "inactive", _("Не надається")
    TEMPORARILY_CLOSED = "temporarily closed", _("Тимчасово призупинена")
    DEFUNCT = "defunct", _("Припинена")


class Sector(models.TextChoices):
    SOCIAL = "social", _("Соціальні послуги")
    HUMANITARIAN = "humanitarian", _("Гуманітарна допомога")
    MEDICAL = "medical", _("Медична допомога")
    LEGAL = "legal", _("Правова допомога")
    EMPLOYMENT = "employment", _("Зайнятість")
    EDUCATION = "education", _("Освіта")
    OTHER = "other", _("Інше")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Публічна (видно всім)")
    STAFF = "staff", _("Лише для працівників")


# Default referral terms (issue: respond in 3 working days, complete in 30).
DEFAULT_RESPONSE_DAYS = 3
DEFAULT_COMPLETION_DAYS = 30


class Service(BilingualName):
    """A service an organisation provides.

    ``classifier_code`` is the code of the national classifier of social services (MSP order
    429 of 23.06.2020) when the service is a social service; ``is_basic`` marks the basic
    social services of the hub's edition of the list (Law 2671-VIII). Other sectors
    (humanitarian, medical, legal, employment, education) have no classifier code.
    """

    SCOPE_COMMUNITY = "organisation__community"
    SCOPE_ORGANISATION = "organisation"

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    alternate_name = models.CharField(_("інша назва"), max_length=255, blank=True)
    sector = models.CharField(
        _("сфера"), max_length=16, choices=Sector.choices, default=Sector.SOCIAL
    )
    classifier_code = models.CharField(_("код за класифікатором"), max_length=16, blank=True)
    is_basic = models.BooleanField(_("базова соціальна послуга"), default=False)
    description = models.TextField(_("опис"), blank=True)
    status = models.CharField(
        _("стан"), max_length=32, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    visibility = models.CharField(
        _("видимість"), max_length=8, choices=Visibility.choices, default=Visibility.STAFF
    )
    url = models.URLField(_("сторінка послуги"), blank=True)
    email = models.EmailField(_("електронна пошта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    eligibility_description = models.TextField(_("хто може отримати"), blank=True)
    eligible_categories = models.JSONField(_("категорії отримувачів"), default=list, blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("вік від"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("вік до"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    application_process = models.TextField(_("як звернутися"), blank=True)
    is_free = models.BooleanField(_("безоплатна"), default=True)
    fees_description = models.TextField(_("вартість"), blank=True)
    languages = models.JSONField(_("мови обслуговування"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("місткість (осіб на місяць)"), null=True, blank=True)
    accepting_referrals = models.BooleanField(_("приймає направлення"), default=True)
    response_days = models.PositiveSmallIntegerField(
        _("відповісти на направлення за (робочих днів)"),
        default=DEFAULT_RESPONSE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    completion_days = models.PositiveSmallIntegerField(
        _("виконати направлення за (робочих днів)"),
        default=DEFAULT_COMPLETION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    locations = models.ManyToManyField(
        Location,
        verbose_name=_("локації"),
        through="ServiceAtLocation",
        related_name="services",
        blank=True,
    )
    areas = models.ManyToManyField(
        "geo.Unit", verbose_name=_("територія обслуговування"), related_name="+", blank=True
    )
    version = models.PositiveIntegerField(default=1)
    last_modified = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("послуга")
        verbose_name_plural = _("послуги")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_age_range",
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.organisation.is_active


class ServiceAtLocation(models.Model):
    """HSDS ``service_at_location``: where a service is given."""

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    description = models.TextField(_("опис"), blank=True)

    class Meta:
        verbose_name = _("послуга в локації")
        verbose_name_plural = _("послуги в локаціях")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="directory_sal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.location}"


class ServiceNeed(models.Model):
    """A need of the intake taxonomy (``intake.Need.code``) the service answers."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="needs")
    need_code = models.SlugField(_("потреба"), max_length=64)

    class Meta:
        verbose_name = _("потреба, яку задовольняє послуга")
        verbose_name_plural = _("потреби, які задовольняє послуга")
        constraints = [
            models.UniqueConstraint(fields=["service", "need_code"], name="directory_need_unique")
        ]

    def __str__(self) -> str:
        return self.need_code


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCal BYDAY, as HSDS schedules use

MIDNIGHT = time(0)


def sensible_hours(prefix: str = "") -> models.Q:
    """Opening and closing times that mean something: a closing later than the opening (the
    same day), earlier or at midnight (the next day: 20:00–08:00, 18:00–00:00), or 00:00–00:00
    (the whole day). Equal times other than 00:00 are refused: "08:00–08:00" could mean
    closed or 24 hours from 08:00, and 24 hours are written 00:00–00:00."""
    opens, closes = f"{prefix}opens_at", f"{prefix}closes_at"
    return (
        models.Q(**{f"{opens}__lt": models.F(closes)})
        | models.Q(**{f"{opens}__gt": models.F(closes)})
        | models.Q(**{opens: MIDNIGHT, closes: MIDNIGHT})
    )


SAME_TIMES_MESSAGE = _(
    "Час відкриття й закриття однакові. Для цілодобової роботи вкажіть 00:00–00:00."
)


class Schedule(models.Model):
    """Regular opening hours: on ``byday`` (iCal weekdays, e.g. ``MO,TU,WE``) from ``opens_at``
    to ``closes_at`` Kyiv time, optionally only between ``valid_from`` and ``valid_to``.

    A ``closes_at`` at or before ``opens_at`` is on the next day: 20:00–08:00 on ``MO`` runs
    from Monday 20:00 to Tuesday 08:00 (a night shelter), 18:00–00:00 until midnight;
    00:00–00:00 is the whole day (24 hours). ``byday`` and the validity dates name the day the
    interval starts. See :mod:`apps.directory.schedules`."""

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    byday = models.CharField(_("дні тижня"), max_length=20)
    opens_at = models.TimeField(_("відкривається о"))
    closes_at = models.TimeField(_("зачиняється о"))
    valid_from = models.DateField(_("діє з"), null=True, blank=True)
    valid_to = models.DateField(_("діє до"), null=True, blank=True)
    description = models.CharField(_("примітка"), max_length=255, blank=True)

    class Meta:
        ordering = ["service", "byday", "opens_at"]
        verbose_name = _("розклад")
        verbose_name_plural = _("розклади")
        constraints = [
            models.CheckConstraint(
                condition=sensible_hours(),
                name="directory_schedule_hours",
                violation_error_message=SAME_TIMES_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def weekdays(self) -> list[int]:
        """ISO weekday numbers (1 = Monday) of ``byday``."""
        return [WEEKDAYS.index(day) + 1 for day in self.byday.split(",") if day in WEEKDAYS]


class ScheduleException(models.Model):
    """A dated exception to the regular hours: a holiday or closure (``closed``), or other
    hours on that day. Other hours read as a regular row's: 20:00–08:00 runs into the next
    morning, 00:00–00:00 is the whole day. The exception replaces the intervals that start on
    its ``date``; the previous night's interval still ends when it was due to."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("дата"))
    closed = models.BooleanField(_("зачинено"), default=True)
    opens_at = models.TimeField(_("відкривається о"), null=True, blank=True)
    closes_at = models.TimeField(_("зачиняється о"), null=True, blank=True)
    reason = models.CharField(_("причина"), max_length=255, blank=True)

    class Meta:
        ordering = ["service", "date"]
        verbose_name = _("виняток у розкладі")
        verbose_name_plural = _("винятки у розкладі")
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="directory_exception_unique"),
            models.CheckConstraint(
                condition=models.Q(closed=True)
                | (models.Q(opens_at__isnull=False, closes_at__isnull=False) & sensible_hours()),
                name="directory_exception_hours",
                violation_error_message=_(
                    "Вкажіть години роботи цього дня (однакові лише 00:00–00:00, цілодобово) "
                    "або позначте, що зачинено."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class Contact(models.Model):
    """A named contact person of an organisation or of one of its services."""

    uuid = models.UUIDField(
        _("ідентифікатор HSDS"), default=uuid.uuid4, unique=True, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("ім'я"), max_length=255)
    title = models.CharField(_("посада"), max_length=255, blank=True)
    email = models.EmailField(_("електронна пошта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("контактна особа")
        verbose_name_plural = _("контактні особи")

    def __str__(self) -> str:
        return self.name
