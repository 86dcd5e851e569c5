"""Staff pages for coordinators and administrators: the list of staff in the actor's scope,
and one member's card — a read of staff personal data, audited."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import selectors

STAFF_PER_PAGE = 50


@login_required
def staff_list_view(request):
    staff = selectors.staff_list(actor=request.actor)
    page = Paginator(staff, STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/staff_list.html", {"page": page})


@login_required
def staff_detail_view(request, user_id: int):
    member = selectors.staff_read(actor=request.actor, user_id=user_id)
    return render(request, "access/staff_detail.html", {"member": member})
