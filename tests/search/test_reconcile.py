"""`flask search reconcile` finds documents missing, extra or stale in the index."""

from search.indices import alias_name
from search.reconcile import reconcile
from search.sync import drain_outbox
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.services.outbox import record_upsert


def test_reconcile_reports_each_kind_of_divergence(app, es):
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    zone = make_zone()
    industries = make_industries()
    first, second, third = (make_enterprise(zone, [industries["it"]]) for _ in range(3))
    for enterprise in (first, second, third):
        record_upsert(db.session, enterprise)
    db.session.commit()
    drain_outbox(db.session, es, prefix)
    assert reconcile(db.session, es, prefix, "enterprise").total == 0

    index = alias_name(prefix, "enterprise")
    es.delete(index=index, id=str(first.id))
    es.index(index=index, id="999999", document={"id": 999999}, version=1, version_type="external")
    record_upsert(db.session, third)  # changed in SQL, not drained yet
    db.session.commit()

    divergence = reconcile(db.session, es, prefix, "enterprise")
    assert divergence.missing == [first.id]
    assert divergence.extra == [999999]
    assert divergence.stale == [third.id]

    result = app.test_cli_runner().invoke(args=["search", "reconcile"])
    assert result.exit_code == 1
    assert "divergence: 3" in result.output
