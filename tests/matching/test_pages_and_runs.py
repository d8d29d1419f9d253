"""The matching pages' input checks and roles, and resuming an unfinished rescoring run."""

from sqlalchemy import func, select

from tests.factories.accounts import PASSWORD
from tests.factories.matching import build_world, make_match_world
from torchfin.extensions import db
from torchfin.models import Match, MatchRun, MatchRunChunk
from torchfin.models.enums import BatchStatus, MatchStatus
from torchfin.services.matching import deals
from torchfin.services.matching.scoring import start_rescore


def _login(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_declining_on_the_page_without_a_reason_is_a_422_and_changes_nothing(client):
    w = make_match_world()
    match_id = w["match"].id
    _login(client, w["investor_user"])
    page = client.get(f"/matches/{match_id}")
    assert page.status_code == 200 and "行业契合" in page.get_data(as_text=True)
    refused = client.post(f"/matches/{match_id}/decline", data={"reason": ""})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Match, match_id).status == MatchStatus.VIEWED


def test_an_sme_has_no_inbox_and_sees_its_matches(client):
    w = make_match_world()
    _login(client, w["sme_user"])
    assert client.get("/matches").status_code == 403
    pipeline = client.get("/deals")  # an institution's pipeline; the SME's deals are on its page
    assert (pipeline.status_code, pipeline.headers["Location"]) == (302, "/my/matches")
    mine = client.get("/my/matches").get_data(as_text=True)
    assert "电池基金" in mine and "暂无响应记录" in mine


def test_starting_a_rescore_again_resumes_the_unfinished_run(app, run_worker):
    build_world(seed=8, projects=8, mandates=6)
    run, resumed = start_rescore(top_k_=2, chunk=3)
    chunks = db.session.scalar(select(func.count()).select_from(MatchRunChunk))
    again, resumed_again = start_rescore(top_k_=2, chunk=3)
    assert (resumed, resumed_again) == (False, True) and again.id == run.id
    assert db.session.scalar(select(func.count()).select_from(MatchRunChunk)) == chunks
    run_worker()  # each chunk was enqueued twice: the second job finds it done
    db.session.expire_all()
    assert db.session.scalar(select(MatchRun)).status == BatchStatus.DONE
    assert db.session.scalar(select(func.count()).select_from(Match)) > 0


def test_the_match_page_offers_answers_to_the_institution_until_it_has_answered(app, client):
    w = make_match_world()
    url = f"/matches/{w['match'].id}"
    enterprise = app.test_client()
    _login(enterprise, w["sme_user"])
    assert 'id="interest"' not in enterprise.get(url).get_data(as_text=True)
    _login(client, w["investor_user"])
    offered = client.get(url).get_data(as_text=True)
    assert 'id="interest"' in offered and f"{url}/decline" in offered
    assert client.post(f"{url}/interest").status_code == 302
    answered = client.get(url).get_data(as_text=True)
    assert 'id="interest"' not in answered and f"{url}/decline" not in answered
    assert "/deals/" in answered  # the deal it opened instead


def test_the_deal_page_offers_every_other_stage_until_the_deal_is_closed(app, client):
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    stages = {stage.key: stage.id for stage in deals.pipeline(deal.institution_id)}
    url = f"/deals/{deal.id}"
    _login(client, w["investor_user"])
    page = client.get(url).get_data(as_text=True)
    offered = [key for key in stages if f'data-key="{key}"' in page]
    assert offered == [key for key in stages if key != "contacted"]
    enterprise = app.test_client()
    _login(enterprise, w["sme_user"])
    assert 'id="stage-select"' not in enterprise.get(url).get_data(as_text=True)
    deals.move_deal(w["investor_user"], deal.id, stages["closed_won"])
    assert 'id="stage-select"' not in client.get(url).get_data(as_text=True)
