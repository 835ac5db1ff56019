"""The `team` fixture: the demo book on PostgreSQL with two sellers and a manager (teams.py)."""

from collections.abc import Iterator

import pytest

from tests.store.teams import Team, make_team


@pytest.fixture
def team(pg_template: str) -> Iterator[Team]:
    yield from make_team(pg_template)
