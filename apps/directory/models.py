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

    slug = models.SlugField(_("коротке ім'я"), max_length=64, unique=True)
    kind = models.CharField(_("вид"), max_length=32, choices=OrganisationKind.choices)
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("організація")
        verbose_name_plural = _("організації")

    @property
    def is_hub(self) -> bool:
        return self.kind == OrganisationKind.HUB


class Location(BilingualName):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    settlement = models.ForeignKey(
        "geo.Unit", verbose_name=_("населений пункт"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("адреса"), max_length=255)
    accessibility = models.TextField(_("доступність приміщення"), blank=True)

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


class Service(BilingualName):
    """A service an organisation provides. ``classifier_code`` is the national classifier's
    code of social services (MSP order 429) when the service is a social service."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    classifier_code = models.CharField(_("код за класифікатором"), max_length=16, blank=True)
    description = models.TextField(_("опис"), blank=True)
    status = models.CharField(
        _("стан"), max_length=32, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("послуга")
        verbose_name_plural = _("послуги")
