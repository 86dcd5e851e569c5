"""A test-only URLconf: one view that records an audit event about any object, so tests can
drive ``record`` through the whole middleware stack with the Django test client."""

from django.apps import apps
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from apps.audit import services


@require_POST
def record_change(request):
    """Records an UPDATE of ``model``/``pk``; every other posted field is a changed value."""
    data = request.POST.dict()
    target = apps.get_model(data.pop("model")).objects.get(pk=data.pop("pk"))
    event = services.record(
        actor=request.user,
        action=services.Action.UPDATE,
        event="tests.object.updated",
        target=target,
        changed_fields=data,  # names and values: only the names may be kept
    )
    return HttpResponse(str(event.pk))


urlpatterns = [path("record/", record_change, name="record")]
