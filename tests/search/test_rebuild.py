"""`flask search rebuild`: a new versioned index loaded from SQL, then an atomic alias swap."""

import threading
from decimal import Decimal

from search.indices import alias_name, indices_behind
from search.queries import run_search
from search.sync import rebuild
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Stage

PROJECTS = 400


def _published_projects(count: int) -> None:
    zone = make_zone()
    industries = make_industries()
    enterprise = make_enterprise(zone, [industries["nev.battery"]])
    db.session.add_all(
        Project(
            enterprise=enterprise,
            title=f"动力电池项目{i}",
            summary="动力电池回收与梯次利用",
            amount_sought=Decimal("1000000.00") + i,
            instrument=Instrument.EQUITY,
            stage=Stage.A,
            status=ProjectStatus.PUBLISHED,
            published_at=utcnow(),
        )
        for i in range(count)
    )
    db.session.commit()


def test_rebuild_swaps_the_alias_without_a_window_of_failure_or_emptiness(app, es):
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    _published_projects(PROJECTS)
    first = rebuild(db.session, es, prefix, "project")
    es.indices.refresh(index=alias_name(prefix, "project"))
    assert first.documents == PROJECTS

    totals: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def rebuild_in_background() -> None:
        try:
            with app.app_context():
                # Small chunks stretch the load so searches overlap every phase of it.
                rebuild(db.session, es, prefix, "project", chunk=20)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=rebuild_in_background)
    thread.start()
    while not done.is_set() or len(totals) < 20:
        try:
            totals.append(run_search(es, prefix, "project", "动力电池", size=1).total)
        except Exception as exc:
            errors.append(exc)
    thread.join()

    assert errors == []
    assert len(totals) >= 20
    assert set(totals) == {PROJECTS}
    behind = indices_behind(es, alias_name(prefix, "project"))
    assert len(behind) == 1
    assert behind[0] != first.index
    assert not es.indices.exists(index=first.index)


def test_rebuild_command_reports_documents_and_indexes_from_sql(app, es):
    _published_projects(5)
    result = app.test_cli_runner().invoke(args=["search", "rebuild", "--kind", "project"])
    assert result.exit_code == 0, result.output
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    assert run_search(es, prefix, "project", "梯次利用").total == 5
