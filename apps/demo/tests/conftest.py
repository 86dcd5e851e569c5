import pytest


@pytest.fixture(autouse=True)
def _demo_allowed(settings):
    """As `make demo` does (PROSTIR_DEMO=true)."""
    settings.DEMO = True
