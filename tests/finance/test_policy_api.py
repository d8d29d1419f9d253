"""The policies API and `flask policies load`: declaring, offers with evaluations, applying with
field-level errors and no partial rows, deciding, following the state and the timeline."""

import json

from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.policies import ZGC_FILE, make_loan_case, qualify
from torchfin.extensions import db
from torchfin.models import Policy, PolicyApplication

POLICIES, APPLICATIONS = "/api/v1/policies", "/api/v1/policy-applications"


def _load(app, path) -> object:
    return app.test_cli_runner().invoke(args=["policies", "load", str(path)])


def test_loading_the_zhongguancun_file_declares_three_policies_and_again_their_versions(
    app, parties
):
    first = _load(app, ZGC_FILE)
    assert first.exit_code == 0, first.output
    assert "zgc-loan-interest-subsidy version 1: 中关村科技型企业贷款贴息" in first.output
    second = _load(app, ZGC_FILE)
    assert "zgc-listing-reward version 2" in second.output
    versions = db.session.execute(
        select(Policy.code, func.max(Policy.version)).group_by(Policy.code).order_by(Policy.code)
    ).all()
    assert versions == [
        ("zgc-guarantee-fee-subsidy", 2),
        ("zgc-listing-reward", 2),
        ("zgc-loan-interest-subsidy", 2),
    ]


def test_a_bad_policy_file_is_refused_naming_its_fields_and_declares_nothing(
    app, parties, tmp_path
):
    raw = json.loads(ZGC_FILE.read_text(encoding="utf-8"))
    raw["policies"][0]["formula"] = {"type": "interest_share"}
    raw["policies"][1]["rules"] = [{"rule": "qualification"}]
    raw["policies"][2]["valid_to"] = "2020-01-01"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = _load(app, bad)
    assert result.exit_code == 1
    assert "is not a valid policy file" in " ".join(result.output.split())
    assert "policies.0.formula.share: ['Required by the formula interest_share.']" in result.output
    assert "policies.1.rules.0.any_of: ['Required by the rule qualification.']" in result.output
    assert "policies.2.valid_to: ['Cannot end before the policy starts.']" in result.output
    missing = _load(app, tmp_path / "missing.json")
    assert missing.exit_code == 1 and "cannot read" in missing.output
    assert db.session.query(Policy).count() == 0


def test_sme_sees_its_offer_applies_and_the_zone_decides_through_the_api(app, client, parties):
    assert _load(app, ZGC_FILE).exit_code == 0
    qualify(parties)
    case = make_loan_case(parties)
    sme, zone_admin = auth(parties.sme), auth(parties.sponsor)
    listed = client.get(f"{POLICIES}/zones/{parties.zone.code}", headers=sme).json
    assert [p["code"] for p in listed] == [
        "zgc-guarantee-fee-subsidy",
        "zgc-listing-reward",
        "zgc-loan-interest-subsidy",
    ]
    offers = client.get(f"{POLICIES}/offers", headers=sme).json
    interest = next(o for o in offers if o["policy"]["code"] == "zgc-loan-interest-subsidy")
    assert interest["subject"] == f"guarantee:{case.id}"
    assert interest["evaluation"]["amount"] == "108750.00"
    assert interest["evaluation"]["outcome"] == "ready"
    assert [r["status"] for r in interest["evaluation"]["results"]] == ["pass"] * 4
    fee = next(o for o in offers if o["policy"]["code"] == "zgc-guarantee-fee-subsidy")
    assert fee["evaluation"]["amount"] == "50000.00"  # half the 2 % fee on 5,000,000
    applied = client.post(
        APPLICATIONS,
        json={"policy_id": interest["policy"]["id"], "subject": interest["subject"]},
        headers=sme,
    )
    assert applied.status_code == 201, applied.json
    body = applied.json
    assert (body["state"], body["amount"], body["allowed_actions"]) == ("applied", "108750.00", [])
    path = f"{APPLICATIONS}/{body['id']}"
    seen = client.get(path, headers=zone_admin).json
    assert seen["allowed_actions"] == ["review", "reject"]
    early = client.post(f"{path}/approve", json={}, headers=zone_admin)
    assert early.status_code == 409
    assert "cannot approve an application that is applied" in early.json["message"]
    no_reason = client.post(f"{path}/reject", json={}, headers=zone_admin)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    assert client.post(f"{path}/review", json={}, headers=zone_admin).json["state"] == "reviewing"
    approved = client.post(f"{path}/approve", json={}, headers=zone_admin).json
    assert approved["state"] == "approved" and approved["allowed_actions"] == ["pay"]
    mine = client.get(APPLICATIONS, headers=sme).json
    assert [(a["id"], a["state"]) for a in mine] == [(body["id"], "approved")]
    timeline = client.get(f"{path}/timeline", headers=sme).json
    assert [e["action"] for e in timeline] == ["apply", "review", "approve"]


def test_bad_applications_get_field_errors_and_leave_no_rows(app, client, parties):
    assert _load(app, ZGC_FILE).exit_code == 0
    sme = auth(parties.sme)
    policy_id = db.session.scalar(select(Policy.id).where(Policy.code == "zgc-listing-reward"))
    cases = [
        ({"subject": "guarantee:1"}, {"policy_id"}),
        ({"policy_id": "x", "subject": ""}, {"policy_id", "subject"}),
        ({"policy_id": policy_id, "subject": "guarantee:1", "stage": "filing"}, {"subject"}),
        ({"policy_id": policy_id, "subject": "listing:1", "stage": "ipo"}, {"stage"}),
        ({"policy_id": 99999, "subject": "listing:1"}, {"policy_id"}),
    ]
    for data, fields in cases:
        answer = client.post(APPLICATIONS, json=data, headers=sme)
        assert answer.status_code == 422, answer.json
        assert set(answer.json["errors"]["json"]) == fields, answer.json
    unknown_event = client.post(
        APPLICATIONS,
        json={"policy_id": policy_id, "subject": "listing:424242", "stage": "filing"},
        headers=sme,
    )
    assert unknown_event.status_code == 422
    assert unknown_event.json["errors"]["json"] == {
        "subject": ["No such record of your enterprise."]
    }
    db.session.rollback()
    assert db.session.query(PolicyApplication).count() == 0


def test_zone_admin_declares_a_version_through_the_api(client, parties):
    body = {
        "code": "zgc-ip-pledge-interest",
        "kind": "ip_pledge_interest_subsidy",
        "name_zh": "知识产权质押贷款贴息",
        "name_en": "IP-pledge loan interest subsidy",
        "valid_from": "2026-01-01",
        "rules": [{"rule": "in_zone"}, {"rule": "loan_disbursed"}],
        "formula": {"type": "interest_share", "share": "0.3000", "cap": "300000.00"},
        "yearly_budget": "3000000.00",
    }
    path = f"{POLICIES}/zones/{parties.zone.code}"
    first = client.post(path, json=body, headers=auth(parties.sponsor))
    assert first.status_code == 201, first.json
    assert (first.json["version"], first.json["formula"]["share"]) == (1, "0.3000")
    second = client.post(
        path, json=body | {"yearly_budget": "5000000.00"}, headers=auth(parties.sponsor)
    )
    assert (second.json["version"], second.json["yearly_budget"]) == (2, "5000000.00")
    bad = client.post(
        path,
        json=body | {"formula": {"type": "stages"}, "rules": [{"rule": "magic"}]},
        headers=auth(parties.sponsor),
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"formula", "rules"}
    assert db.session.query(Policy).count() == 2
