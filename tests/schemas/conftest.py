"""Schema tests are pure: they need no app and no services."""

import pytest


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides the suite-wide app context: nothing to set up."""
    yield
