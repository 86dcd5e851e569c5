"""The audit log page for coordinators and administrators: the events of their communities
and organisations (all events, for a global administrator), filtered and paged."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.audit.selectors import event_filter

from .. import selectors
from ..forms import AuditFilterForm

EVENTS_PER_PAGE = 50


@login_required
def audit_log(request):
    events = selectors.audit_event_list(actor=request.actor)
    # Always bound: no filter is a valid filter; an invalid one shows the form, not events.
    form = AuditFilterForm(request.GET)
    events = event_filter(events, **form.cleaned_data) if form.is_valid() else events.none()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/audit_log.html", {"form": form, "page": page})
