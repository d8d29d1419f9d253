"""Migration 0024 gives listing events the stage the models declare, on the test database (SQLite
or PostgreSQL); on a database holding events of before, each becomes `listed` (they were all
listings or completed mergers), a filed one may follow, and back down and up again."""

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from tests.factories.registry import make_enterprise, make_zone
from tests.migration_checks import model_differences, table_names
from torchfin import create_app
from torchfin.extensions import db
from torchfin.models import ListingEvent
from torchfin.models.enums import ListingStage

BEFORE, MIGRATION = "0023_policies", "0024_listing_stages"
STAMP = "2025-09-01 08:30:00"
EVENTS = (
    {"venue": "neeq", "event_on": "2025-08-20", "reference": "874123"},
    {"venue": "merger", "event_on": "2025-07-01", "reference": "并购"},
)


def test_listing_event_of_the_test_database_matches_the_model(app):
    assert "listing_event" in table_names()
    assert model_differences(("listing_event",)) == []


def _rows(connection) -> list[tuple]:
    return [
        tuple(row)
        for row in connection.execute(
            text("SELECT venue, reference FROM listing_event ORDER BY id")
        )
    ]


def test_existing_events_become_listed_and_back(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision=BEFORE)
        enterprise_id = make_enterprise(make_zone(), []).id
        db.session.remove()
        with db.engine.begin() as connection:
            for event in EVENTS:
                values = event | {
                    "enterprise_id": enterprise_id,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                }
                columns = ", ".join(values)
                connection.execute(
                    text(
                        f"INSERT INTO listing_event ({columns}) "
                        f"VALUES ({', '.join(f':{c}' for c in values)})"
                    ),
                    values,
                )

        upgrade(revision=MIGRATION)
        stages = {e.reference: e.stage for e in db.session.scalars(select(ListingEvent))}
        assert stages == {"874123": ListingStage.LISTED, "并购": ListingStage.LISTED}
        # An enterprise's listing now has several events on one venue: filed, then listed.
        filed = ListingEvent(
            enterprise_id=enterprise_id,
            venue="chinext",
            stage=ListingStage.FILED,
            event_on=date(2025, 10, 9),
            reference="301999",
        )
        db.session.add(filed)
        db.session.commit()
        assert db.session.get(ListingEvent, filed.id).stage == ListingStage.FILED
        db.session.remove()

        downgrade(revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("listing_event")}
        assert "stage" not in columns
        with db.engine.connect() as connection:
            assert _rows(connection) == [
                ("neeq", "874123"),
                ("merger", "并购"),
                ("chinext", "301999"),
            ]
        upgrade(revision=MIGRATION)
        # The stage is gone with the downgrade: upgraded again, every event is listed.
        assert [e.stage for e in db.session.scalars(select(ListingEvent))] == [
            ListingStage.LISTED
        ] * 3
        db.session.remove()
        db.engine.dispose()
