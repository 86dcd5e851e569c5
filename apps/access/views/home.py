from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..roles import Role
from ..selectors import membership_list


@login_required
def home(request):
    """The staff home: the hubs and organisations the user works in, and the roles there."""
    memberships = list(membership_list(actor=request.actor))
    return render(
        request,
        "access/home.html",
        {"memberships": memberships, "admin_role": Role.ADMIN},
    )
