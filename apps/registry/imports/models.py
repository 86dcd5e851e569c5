"""Tables of the person import: one ``ImportJob`` per uploaded file and one ``ImportRowIssue``
per problem found in one of its rows (or per row flagged as a likely duplicate).

Decisions:
- The uploaded file is kept **in the database** (``content``) until the job ends, then erased
  (only its size and checksum stay): app processes and workers keep no local files (the scale
  path puts several of each on different machines), nothing under ``MEDIA_ROOT`` can be served
  by mistake, and personal data is not kept once the persons are registered.
- An issue's message is stored **in every language of the site** (``messages``, keyed by
  language code) beside its stable ``code``: the rule texts come from the registry's
  validators, which render them when they run (in a worker, in no reader's language), so
  each is rendered once per language and the reader's is picked at display time.
- A job belongs to the hub it registers persons for (``organisation``) and that hub's
  community: the access policy scopes jobs as it scopes persons.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Why a row looks like a registered person (``registry.selectors``' reason codes).
MATCH_REASONS = {
    "same_rnokpp": _("той самий РНОКПП"),
    "same_document": _("той самий документ"),
    "same_phone": _("той самий телефон"),
    "similar_name_same_birth_date": _("схоже ім'я і та сама дата народження"),
    "similar_name_same_birth_year": _("схоже ім'я і той самий рік народження"),
    "similar_name": _("схоже ім'я"),
}


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("У черзі")
    RUNNING = "running", _("Виконується")
    DONE = "done", _("Завершено")
    FAILED = "failed", _("Не вдалося")


class IssueKind(models.TextChoices):
    ERROR = "error", _("Помилка")
    DUPLICATE = "duplicate", _("Можливий дублікат")
    WARNING = "warning", _("Попередження (імпортовано)")


class ImportJob(models.Model):
    community = models.ForeignKey(
        "geo.Unit", verbose_name=_("громада"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("хаб"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто завантажив"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_name = models.CharField(_("назва файлу"), max_length=255)
    format = models.CharField(_("формат"), max_length=8, choices=ImportFormat.choices)
    encoding = models.CharField(_("кодування"), max_length=16, blank=True)
    delimiter = models.CharField(_("роздільник"), max_length=1, blank=True)
    size = models.PositiveBigIntegerField(_("розмір, байтів"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True, editable=False)
    ignored_columns = models.JSONField(_("пропущені стовпці"), default=list, blank=True)
    status = models.CharField(
        _("стан"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    failure = models.JSONField(_("причина невдачі"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("рядків у файлі"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("опрацьовано"), default=0)
    imported_count = models.PositiveIntegerField(_("імпортовано"), default=0)
    duplicate_count = models.PositiveIntegerField(_("можливих дублікатів"), default=0)
    error_count = models.PositiveIntegerField(_("рядків з помилками"), default=0)
    created_at = models.DateTimeField(_("завантажено"), auto_now_add=True)
    started_at = models.DateTimeField(_("розпочато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)

    SCOPE_COMMUNITY = "community"
    SCOPE_ORGANISATION = "organisation"

    class Meta:
        verbose_name = _("імпорт осіб")
        verbose_name_plural = _("імпорти осіб")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def failure_message(self) -> str:
        return in_reader_language(self.failure)


class ImportRowIssue(models.Model):
    """A problem of one row (``field`` names its column by key; empty for the whole row); a
    doubt about a row that was imported all the same (``kind`` warning); or a row not created
    because the person looks registered already (``kind`` duplicate, with
    ``matches``: ``[{"id": <person id, shown only to readers who may see that person>,
    "held_by", "reasons", "score"}]``)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField(_("рядок"))
    field = models.CharField(_("стовпець"), max_length=64, blank=True)
    kind = models.CharField(_("вид"), max_length=16, choices=IssueKind.choices)
    code = models.CharField(_("код"), max_length=64)
    messages = models.JSONField(_("повідомлення"), default=dict)
    matches = models.JSONField(_("збіги"), default=list, blank=True)

    class Meta:
        verbose_name = _("проблема рядка імпорту")
        verbose_name_plural = _("проблеми рядків імпорту")
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["job", "line"], name="registry_import_issue_line")]

    def __str__(self) -> str:
        return f"{self.line}: {self.code}"

    @property
    def message(self) -> str:
        return in_reader_language(self.messages)

    @property
    def match_summaries(self) -> list[dict]:
        """The matches with their reasons said in the reader's language."""
        return [
            {**match, "reasons": [str(MATCH_REASONS.get(r, r)) for r in match.get("reasons", [])]}
            for match in self.matches
        ]


def in_reader_language(messages: dict) -> str:
    """The text of ``messages`` (language code → text) in the active language, else Ukrainian,
    else any."""
    if not messages:
        return ""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return (
        messages.get(language)
        or messages.get(settings.LANGUAGE_CODE)
        or next(iter(messages.values()), "")
    )


def in_every_language(render: Callable[[], str]) -> dict[str, str]:
    """``render()`` once per language of the site: language code → text."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(render())
    return texts
