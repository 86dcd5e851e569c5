"""The scheduled background work of referrals (django-tasks: the database backend and
``manage.py db_worker``). ``manage.py notify_overdue_referrals`` enqueues it (or, with
``--now``, runs it in place) — run that from cron or a systemd timer, see README."""

from django_tasks import task

from . import notices, services


@task()
def notify_overdue_referrals() -> dict[str, int]:
    """Expires referrals nobody answered long past their deadline, then sends the overdue
    notices not sent yet. Returns the counts."""
    expired = services.expire_unanswered()
    return {"expired": expired, "noticed": notices.notify_overdue()}
