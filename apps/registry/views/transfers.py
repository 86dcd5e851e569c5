"""Transfers of access between hubs, as pages.

A match the search finds in another hub carries an opaque ``transfer_ref``; a user who may write
persons asks for it with a reason (the search page's form posts here). ``/persons/transfers/``
lists the requests for persons the user's hub holds — to grant or refuse, for those who decide
— and the requests the hub made: the status, and the person's card once granted. Nothing
personal of a person the user does not hold is shown: the holder's name, the status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access import policies
from apps.access.roles import Perm

from .. import selectors, services
from ..forms import TransferDecisionForm, TransferRequestForm, put_errors
from ..models import TransferStatus


def _incoming(request) -> list[dict]:
    rows = []
    for transfer in selectors.transfers_incoming(actor=request.actor):
        visible = selectors.person_is_visible(actor=request.actor, person_id=transfer.person_id)
        rows.append(
            {
                "transfer": transfer,
                "person": transfer.person if visible else None,
                "form": TransferDecisionForm(auto_id=f"decide{transfer.pk}_%s")
                if transfer.status == TransferStatus.REQUESTED
                else None,
            }
        )
    return rows


def _outgoing(request) -> list[dict]:
    return [
        {
            "transfer": transfer,
            "held_by": (transfer.from_organisation or transfer.from_community).name,
            "granted": transfer.status == TransferStatus.GRANTED,
            "open": transfer.status == TransferStatus.REQUESTED,
        }
        for transfer in selectors.transfers_outgoing(actor=request.actor)
    ]


@login_required
def transfer_list_view(request):
    actor = request.actor
    decides = actor.has_perm(Perm.TRANSFERS_DECIDE)
    requests = actor.has_perm(Perm.PERSONS_WRITE)
    if not decides and not requests:
        policies.require(actor, Perm.TRANSFERS_DECIDE)
    context = {
        "incoming": _incoming(request) if decides else None,
        "outgoing": _outgoing(request) if requests else None,
    }
    return render(request, "registry/transfers.html", context)


@login_required
@require_POST
def transfer_request_view(request):
    """Asks for a person found by search; a refused request shows its form again."""
    policies.require(request.actor, Perm.PERSONS_WRITE)
    form = TransferRequestForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_request(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        except services.RegistryConflict as exc:
            messages.error(request, exc.message)
            return redirect("registry:transfers")
        else:
            messages.success(request, _("Запит надіслано хабу, що веде запис."))
            return redirect("registry:transfers")
    return render(request, "registry/transfer_request.html", {"form": form})


@login_required
@require_POST
def transfer_decide_view(request, transfer_id):
    form = TransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Оберіть рішення: передати або відмовити."))
        return redirect("registry:transfers")
    grant = form.cleaned_data["decision"] == "grant"
    try:
        services.transfer_decide(
            actor=request.actor,
            transfer_id=transfer_id,
            grant=grant,
            note=form.cleaned_data["note"],
        )
    except (services.RegistryConflict, ValidationError) as exc:
        messages.error(request, _message_of(exc))
    else:
        messages.success(request, _("Особу передано.") if grant else _("У передачі відмовлено."))
    return redirect("registry:transfers")


@login_required
@require_POST
def transfer_cancel_view(request, transfer_id):
    try:
        services.transfer_cancel(actor=request.actor, transfer_id=transfer_id)
    except services.RegistryConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Запит скасовано."))
    return redirect("registry:transfers")


def _message_of(error: services.RegistryConflict | ValidationError) -> str:
    if isinstance(error, services.RegistryConflict):
        return error.message
    return " ".join(text for texts in error.message_dict.values() for text in texts)
