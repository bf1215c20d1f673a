"""What every import test starts from: the six areas and two units, an administrator logged in."""

import pytest

from demo.commission import AREAS
from tests.factories import make_area, make_unit


@pytest.fixture
def register(db):
    for number, name in enumerate(AREAS, start=1):
        make_area(number, name)
    return {"stk": make_unit("Stadskontoret"), "kultur": make_unit("Kulturnämnden")}


@pytest.fixture
def importer(client, administrator, register):
    """The test client, logged in as an administrator, who may import."""
    client.force_login(administrator)
    return client
