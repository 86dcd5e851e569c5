"""Sections that other parts of the product add to the person's card — intake's requests now,
cases and referrals later. They register here when Django starts (``AppConfig.ready``), so the
card shows them while the registry does not depend on the apps above it.

A section is a template and a function ``(actor, person) -> context | None``; ``None`` hides
the section (the user may not see that kind of data). The function must read through the
access policy like any selector: the card has already audited the read of the person."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apps.access.actor import Actor

from .models import Person


@dataclass(frozen=True)
class CardSection:
    key: str
    template: str
    context: Callable[[Actor, Person], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: dict[str, Any]


_SECTIONS: dict[str, CardSection] = {}


def register_section(section: CardSection) -> None:
    """Adds (or replaces, by ``key``) a section of the card."""
    _SECTIONS[section.key] = section


def sections_for(actor: Actor, person: Person) -> list[ShownSection]:
    """The sections this actor sees on this person's card, in order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(actor, person)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown
