"""Vocabularies the directory stores as codes but does not own.

Services answer needs (the intake taxonomy) and serve categories of persons (the registry's
codes, DOMAIN.md §6). Both contexts sit above the directory, so they register a provider of
``(code, label)`` pairs here when their app is ready; the directory's forms and filters ask
for the choices without importing them.
"""

from collections.abc import Callable, Iterable

Choices = Iterable[tuple[str, str]]

NEEDS = "needs"
CATEGORIES = "categories"

_providers: dict[str, Callable[[], Choices]] = {}


def register(vocabulary: str, provider: Callable[[], Choices]) -> None:
    _providers[vocabulary] = provider


def choices(vocabulary: str) -> list[tuple[str, str]]:
    """The current ``(code, label)`` pairs, empty when no context provides the vocabulary."""
    provider = _providers.get(vocabulary)
    return list(provider()) if provider else []


def label(vocabulary: str, code: str) -> str:
    return dict(choices(vocabulary)).get(code, code)
