"""Fixtures only the reliability suite uses: the figures recorder (``tests.helpers.figures``)."""

from __future__ import annotations

import pytest

from tests.helpers.figures import Figures


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Where this test records the figures it proves, under its node id."""
    return Figures(request.node.nodeid)
