"""Documents attached to policy applications: the enterprise attaches PDF, XLSX or DOCX before
the zone decides, each an audit event; the zone downloads them; refused files leave nothing."""

import io

from sqlalchemy import select

from tests.factories.accounts import auth
from tests.factories.policies import make_listing, zgc_policy
from tests.matching.documents import EXE, PDF
from torchfin.extensions import db
from torchfin.models import PolicyDocument
from torchfin.services.finance import audit
from torchfin.services.finance.policies import applications
from torchfin.services.finance.policies.applications import application_subject
from torchfin.services.matching import data_room

API = "/api/v1/policy-applications"


def _application(parties) -> int:
    policy = zgc_policy(parties.zone, "zgc-listing-reward")
    event = make_listing(parties)
    data = {"policy_id": policy.id, "subject": f"listing:{event.id}", "stage": "filing"}
    return applications.apply(parties.sme, data).id


def _upload(client, user, application_id: int, content: bytes, name: str):
    return client.post(
        f"{API}/{application_id}/documents",
        data={"file": (io.BytesIO(content), name)},
        headers=auth(user),
        content_type="multipart/form-data",
    )


def test_sme_attaches_a_receipt_the_zone_downloads_it_and_the_step_is_audited(
    client, parties, room_dir
):
    application_id = _application(parties)
    answer = _upload(client, parties.sme, application_id, PDF, "上市申请受理通知书.pdf")
    assert answer.status_code == 201, answer.json
    assert (answer.json["filename"], answer.json["kind"]) == ("上市申请受理通知书.pdf", "pdf")
    assert answer.json["size"] == len(PDF)
    seen = client.get(f"{API}/{application_id}", headers=auth(parties.sponsor)).json
    assert [d["filename"] for d in seen["documents"]] == ["上市申请受理通知书.pdf"]
    download = client.get(f"{API}/documents/{answer.json['id']}", headers=auth(parties.sponsor))
    assert download.status_code == 200 and download.data == PDF
    events = audit.timeline(db.session, application_subject(application_id))
    assert [e.action for e in events] == ["apply", "attach_document"]
    assert events[-1].data["filename"] == "上市申请受理通知书.pdf"
    assert data_room.orphan_files(min_age_seconds=0) == []


def test_refused_files_and_decided_applications_leave_nothing_behind(client, parties, room_dir):
    application_id = _application(parties)
    fake = _upload(client, parties.sme, application_id, EXE, "receipt.pdf")
    assert fake.status_code == 422 and "file" in fake.json["errors"]["files"]
    by_zone = _upload(client, parties.sponsor, application_id, PDF, "a.pdf")
    assert by_zone.status_code == 403
    applications.act(parties.sponsor, application_id, "reject", {"reason": "材料不全"})
    late = _upload(client, parties.sme, application_id, PDF, "late.pdf")
    assert late.status_code == 409 and "before the zone decides" in late.json["message"]
    assert db.session.scalars(select(PolicyDocument)).all() == []
    assert [p for p in room_dir.rglob("*") if p.is_file()] == []
