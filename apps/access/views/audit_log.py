"""The audit log page for coordinators and administrators (filled in below)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.audit.selectors import event_filter

from .. import selectors
from ..forms import AuditFilterForm


@login_required
def audit_log(request):
    events = selectors.audit_event_list(actor=request.actor)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        events = event_filter(events, **form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "access/audit_log.html", {"form": form, "page": page})
