"""The hubs' clock: Ukraine keeps Kyiv time, so opening hours, working days and deadlines are
read in Europe/Kyiv whatever the server's zone. The one definition the apps above use."""

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

KYIV = ZoneInfo("Europe/Kyiv")


def local_today() -> date:
    """Today's date in Kyiv."""
    return timezone.now().astimezone(KYIV).date()
