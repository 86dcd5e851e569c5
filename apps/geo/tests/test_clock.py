"""The hubs' "today" is Kyiv's, even when the server's UTC date is still yesterday."""

from datetime import UTC, date, datetime
from unittest import mock

from apps.geo import clock


def test_today_turns_at_kyiv_midnight_not_at_utc_midnight():
    late_utc = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 March in Kyiv
    with mock.patch("django.utils.timezone.now", return_value=late_utc):
        assert clock.local_today() == date(2026, 3, 2)
    summer = datetime(2026, 7, 1, 20, 59, tzinfo=UTC)  # 23:59 in Kyiv, summer time
    with mock.patch("django.utils.timezone.now", return_value=summer):
        assert clock.local_today() == date(2026, 7, 1)
