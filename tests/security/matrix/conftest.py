"""Fixtures of the tests that share one authorisation world per module (this folder).

`_app_context` replaces the suite's autouse fixture of the same name, which empties every table
after each test: here the tables live for the module, and `world` empties them at its end.
"""

import pytest

from tests.conftest import empty_tables
from tests.security import authz_world


@pytest.fixture(autouse=True)
def _app_context(app):
    """An app context per test; the tables are kept between tests."""
    from torchfin.extensions import db

    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture(scope="module")
def world(app, tmp_path_factory):
    """The shared world, built once; the tables are emptied after the module.

    Data-room documents go to a folder of this module's own, never the instance's.
    """
    from torchfin.extensions import db

    with pytest.MonkeyPatch.context() as patch, app.app_context():
        patch.setitem(app.config, "DATA_ROOM_DIR", str(tmp_path_factory.mktemp("data_room")))
        yield authz_world.build()
        db.session.remove()
        empty_tables(db)
