"""Result rows come from the documents' stored fields: a search reads no project from SQL."""

from datetime import date

from sqlalchemy import event

from search.indices import alias_name
from search.sync import rebuild
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_zone, published_project
from torchfin.extensions import db
from torchfin.models.enums import Role, Stage


def test_a_search_page_is_answered_from_the_index_alone(app, es, client):
    zone = make_zone("zhongguancun", "中关村科技园区")
    project = published_project(
        make_enterprise(zone, [], name="北京储能科技有限公司"),
        "液流储能电站",
        "12345678.90",
        Stage.B,
    )
    project.deadline = date(2027, 3, 31)
    db.session.add(project)
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")
    headers = auth(make_user(Role.INVESTOR))
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        found = client.get("/api/v1/search", query_string={"q": "储能"}, headers=headers).json
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)

    (hit,) = found["hits"]
    assert {key: hit[key] for key in ("id", "title", "enterprise_name", "zone", "zone_code")} == {
        "id": project.id,
        "title": "液流储能电站",
        "enterprise_name": "北京储能科技有限公司",
        "zone": "中关村科技园区",
        "zone_code": "zhongguancun",
    }
    # The exact amount (the index keeps the decimal as written), the dates, the round.
    assert (hit["amount_sought"], hit["deadline"], hit["stage"]) == (
        "12345678.90",
        "2027-03-31",
        "b",
    )
    assert hit["published_at"].startswith(project.published_at.date().isoformat())
    assert not [s for s in statements if "FROM project" in s or "FROM enterprise" in s], statements
    # The document carries its version, so a row older than SQL's is detectable.
    document = es.get(index=alias_name(app.config["SEARCH_INDEX_PREFIX"], "project"), id=project.id)
    assert document["_source"]["doc_version"] == project.doc_version
