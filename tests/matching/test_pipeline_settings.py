"""An institution renames and reorders its pipeline stages on the settings page: the pipeline
page follows, deals keep their stage, every change is recorded (who, when, old and new) and shown,
refusals change and record nothing, outsiders are kept out."""

import re

from sqlalchemy import func, select

from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.matching import make_match_world
from tests.factories.registry import make_institution
from torchfin.extensions import db
from torchfin.models import AuditEvent, Deal, PipelineStage
from torchfin.models.enums import Role
from torchfin.services.finance import audit
from torchfin.services.matching import deals, pipeline_stages


def _login(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def _deal_in_meeting() -> dict:
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    stages = {s.key: s for s in deals.pipeline(deal.institution_id)}
    deals.move_deal(w["investor_user"], deal.id, stages["meeting"].id)
    return {**w, "deal_id": deal.id, "stages": stages}


def _form(stages: list[PipelineStage], names: dict[str, str], order: list[str]) -> dict:
    form = {}
    for stage in stages:
        form[f"name-{stage.id}"] = names.get(stage.key, stage.name)
        form[f"position-{stage.id}"] = str(order.index(stage.key) + 1)
    return form


def _columns(html: str) -> list[tuple[str, str]]:
    # (key, heading) of each column of the pipeline table, left to right.
    return re.findall(r'<th data-stage="(\w+)">([^<(]+?) \(', html)


def test_renamed_and_reordered_stages_show_on_the_pipeline_and_deals_keep_their_stage(client):
    w = _deal_in_meeting()
    stages = list(w["stages"].values())
    meeting_id = w["stages"]["meeting"].id
    order = ["closed_lost", "closed_won", "meeting", "term_sheet", "due_diligence", "contacted"]
    _login(client, w["investor_user"])
    assert client.get("/deals/stages").status_code == 200
    saved = client.post(
        "/deals/stages", data=_form(stages, {"meeting": "路演会谈", "contacted": "初步接触"}, order)
    )
    assert saved.status_code == 302

    page = client.get("/deals").get_data(as_text=True)
    columns = _columns(page)
    assert [key for key, _ in columns] == order
    assert dict(columns)["meeting"] == "路演会谈" and dict(columns)["contacted"] == "初步接触"
    db.session.expire_all()
    deal = db.session.get(Deal, w["deal_id"])
    assert deal.stage_id == meeting_id and deal.stage.name == "路演会谈"
    # The deal sits in the renamed column, and its page names the new stage.
    meeting_cell = page.split('<td data-stage="meeting">')[1].split("</td>")[0]
    assert w["match"].project.title in meeting_cell
    assert "路演会谈" in client.get(f"/deals/{w['deal_id']}").get_data(as_text=True)


def test_default_names_follow_the_language_and_renamed_ones_do_not(client):
    w = _deal_in_meeting()
    pipeline_stages.rename_stage(w["investor_user"], w["stages"]["meeting"].id, "路演会谈")
    _login(client, w["investor_user"])
    columns = dict(_columns(client.get("/deals?lang=en").get_data(as_text=True)))
    assert columns["contacted"] == "Contacted" and columns["meeting"] == "路演会谈"
    assert (
        dict(_columns(client.get("/deals?lang=zh").get_data(as_text=True)))["contacted"] == "已接洽"
    )


def test_refused_settings_change_nothing(client):
    w = _deal_in_meeting()
    stages = list(w["stages"].values())
    keys = [s.key for s in stages]
    _login(client, w["investor_user"])
    duplicate = client.post(
        "/deals/stages",
        data=_form(stages, {"meeting": "尽职调查", "due_diligence": "尽职调查"}, keys),
    )
    assert duplicate.status_code == 422 and "尽职调查" in duplicate.get_data(as_text=True)
    blank = client.post("/deals/stages", data=_form(stages, {"meeting": "  "}, keys))
    assert blank.status_code == 422
    db.session.expire_all()
    kept = [(s.key, s.name) for s in deals.pipeline(stages[0].institution_id)]
    assert kept == [(key, name) for key, name, _closed in deals.DEFAULT_STAGES]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_only_the_institution_changes_its_pipeline(client):
    w = _deal_in_meeting()
    meeting = w["stages"]["meeting"]
    _login(client, w["sme_user"])
    assert client.get("/deals/stages").status_code == 403
    client.post("/logout")
    # Another institution's user edits its own pipeline on the page, never this one.
    _login(client, make_user(Role.INVESTOR, institution=make_institution()))
    assert client.get("/deals/stages").status_code == 200
    renamed = client.patch(
        f"/api/v1/pipeline-stages/{meeting.id}", json={"name": "偷改"}, headers=w["stranger"]
    )
    assert renamed.status_code == 403
    reordered = client.put(
        f"/api/v1/institutions/{meeting.institution_id}/pipeline",
        json={"stage_ids": [s.id for s in reversed(list(w["stages"].values()))]},
        headers=auth(make_user(Role.INVESTOR, institution=make_institution())),
    )
    assert reordered.status_code == 403
    db.session.expire_all()
    assert (
        db.session.scalar(select(PipelineStage.name).where(PipelineStage.id == meeting.id))
        == "会谈"
    )


def _history(client, institution_id: int, headers: dict) -> list[dict]:
    response = client.get(
        f"/api/v1/institutions/{institution_id}/pipeline/history", headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_every_rename_and_reorder_is_recorded_with_who_when_and_the_old_and_new_values(client):
    w = _deal_in_meeting()
    stages, investor = list(w["stages"].values()), w["investor_user"]
    institution_id, keys = stages[0].institution_id, [s.key for s in stages]
    moved = ["meeting", "contacted", *keys[2:]]
    _login(client, investor)
    saved = client.post("/deals/stages", data=_form(stages, {"meeting": "路演会谈"}, moved))
    assert saved.status_code == 302
    # Saving the same settings again changes nothing, so records nothing.
    db.session.expire_all()
    again = client.post("/deals/stages", data=_form(deals.pipeline(institution_id), {}, moved))
    assert again.status_code == 302
    contacted = w["stages"]["contacted"].id
    renamed = client.patch(
        f"/api/v1/pipeline-stages/{contacted}", json={"name": "初步接触"}, headers=w["investor"]
    )
    assert renamed.status_code == 200
    reordered = client.put(
        f"/api/v1/institutions/{institution_id}/pipeline",
        json={"stage_ids": [w["stages"][key].id for key in keys]},
        headers=w["investor"],
    )
    assert reordered.status_code == 200

    history = _history(client, institution_id, w["investor"])
    assert [(e["action"], e["data"]) for e in history] == [
        ("reorder_stages", {"old": moved, "new": keys}),
        (
            "rename_stage",
            {"stage_id": contacted, "key": "contacted", "old": "已接洽", "new": "初步接触"},
        ),
        ("reorder_stages", {"old": keys, "new": moved}),
        (
            "rename_stage",
            {
                "stage_id": w["stages"]["meeting"].id,
                "key": "meeting",
                "old": "会谈",
                "new": "路演会谈",
            },
        ),
    ]
    assert {(e["actor_id"], e["actor_name"]) for e in history} == {
        (investor.id, investor.display_name)
    }
    assert all(e["created_at"] for e in history)
    assert audit.verify(db.engine)[1] == []  # the records are a sound hash chain

    page = client.get("/deals/stages").get_data(as_text=True)
    shown = page.split('id="stage-history"')[1]
    assert "将“已接洽”改名为“初步接触”" in shown and "将“会谈”改名为“路演会谈”" in shown
    assert "顺序由 路演会谈 → 初步接触 → 尽职调查" in shown
    assert shown.count('data-action="') == 4 and investor.display_name in shown
    english = client.get("/deals/stages?lang=en").get_data(as_text=True)
    assert "Renamed “会谈” to “路演会谈”" in english.split('id="stage-history"')[1]


def test_only_the_institution_and_admins_read_its_pipeline_history(client):
    w = _deal_in_meeting()
    institution_id = w["stages"]["meeting"].institution_id
    url = f"/api/v1/institutions/{institution_id}/pipeline/history"
    assert client.get(url, headers=w["stranger"]).status_code == 403
    assert client.get(url, headers=w["sme"]).status_code == 403
    assert _history(client, institution_id, auth(make_user(Role.ADMIN))) == []
    _login(client, w["investor_user"])
    assert 'id="no-stage-history"' in client.get("/deals/stages").get_data(as_text=True)
