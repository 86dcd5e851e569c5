from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Official КАТОТТГ category letters (Cyrillic; Latin look-alikes are normalised on load)."""

    OBLAST = "О", _("Область або АРК")
    SPECIAL_CITY = "К", _("Місто зі спеціальним статусом")
    RAION = "Р", _("Район")
    HROMADA = "Н", _("Територіальна громада")
    CITY = "М", _("Місто")
    URBAN_SETTLEMENT = "Т", _("Селище міського типу")
    VILLAGE = "С", _("Село")
    SELYSHCHE = "Х", _("Селище")
    CITY_DISTRICT = "В", _("Район у місті")


LEVEL_OF_CATEGORY = {
    Category.OBLAST: 1,
    Category.SPECIAL_CITY: 1,
    Category.RAION: 2,
    Category.HROMADA: 3,
    Category.CITY: 4,
    Category.URBAN_SETTLEMENT: 4,
    Category.VILLAGE: 4,
    Category.SELYSHCHE: 4,
    Category.CITY_DISTRICT: 5,
}


class EditionManager(models.Manager):
    def get_by_natural_key(self, date):
        return self.get(date=date)


class Edition(models.Model):
    """One loaded edition of the codifier (the ministry publishes new ones several times a year).
    Its natural key is the date, so fixtures refer to it without a database id."""

    date = models.DateField(_("дата редакції"), unique=True)
    source = models.CharField(_("джерело"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("рядків"), default=0)
    loaded_at = models.DateTimeField(_("завантажено"), auto_now=True)

    objects = EditionManager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("редакція КАТОТТГ")
        verbose_name_plural = _("редакції КАТОТТГ")

    def __str__(self) -> str:
        return self.date.isoformat()

    def natural_key(self) -> tuple[str]:
        return (self.date.isoformat(),)


class Unit(models.Model):
    """A КАТОТТГ unit. Ancestors are kept denormalised so a scope on an oblast or a raion
    is one indexed filter (``community__oblast=...``) rather than a recursive query."""

    code = models.CharField(_("код КАТОТТГ"), max_length=19, primary_key=True)
    name = models.CharField(_("назва"), max_length=255)
    category = models.CharField(_("категорія"), max_length=1, choices=Category.choices)
    level = models.PositiveSmallIntegerField(_("рівень"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    oblast = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raion = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hromada = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("чинний"), default=True)
    last_edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("одиниця КАТОТТГ")
        verbose_name_plural = _("одиниці КАТОТТГ")
        indexes = [models.Index(fields=["category", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"

    @property
    def is_community(self) -> bool:
        """Hromadas and the special-status cities (Kyiv, Sevastopol) act as communities."""
        return self.category in {Category.HROMADA, Category.SPECIAL_CITY}
