"""A deal in a closed stage keeps a read-only data room: uploads are refused with 409 naming the
stage (API and page, the page in Chinese first), nothing is left behind, and what was shared
stays downloadable for both parties."""

import io

import pytest
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD
from tests.factories.matching import make_deal_world
from tests.matching.documents import EXE, PDF, docx_bytes
from tests.matching.test_data_room import _counts, _files_in, _upload
from torchfin.extensions import db
from torchfin.models import Deal
from torchfin.services.errors import Conflict
from torchfin.services.matching import data_room, deals


def _stage_id(deal_id: int, key: str) -> int:
    deal = db.session.get(Deal, deal_id)
    return next(s.id for s in deals.pipeline(deal.institution_id) if s.key == key)


def _closed_deal_with_a_document(client, key: str = "closed_won") -> dict:
    w = make_deal_world()
    deal_id = w["deal"].id
    shared = _upload(client, deal_id, w["sme"], PDF, "路演材料.pdf")
    assert shared.status_code == 201
    deals.move_deal(w["investor_user"], deal_id, _stage_id(deal_id, key))
    return {**w, "deal_id": deal_id, "document_id": shared.get_json()["id"]}


@pytest.mark.parametrize(("key", "name"), [("closed_won", "成交"), ("closed_lost", "未成交")])
def test_a_closed_deal_refuses_uploads_with_409_naming_its_stage(client, room_dir, key, name):
    w = _closed_deal_with_a_document(client, key)
    refused = _upload(client, w["deal_id"], w["sme"], docx_bytes(), "补充材料.docx")
    assert refused.status_code == 409
    message = refused.get_json()["message"]
    assert f"stage {name} ({key})" in message and "read-only" in message
    assert _counts() == (1, 1) and len(_files_in(room_dir)) == 1  # only the earlier document


def test_the_closed_stage_is_checked_before_the_file_is_read(client, room_dir):
    w = _closed_deal_with_a_document(client)
    # Not even spooled: a file that would be a 422 gets the deal's 409.
    assert _upload(client, w["deal_id"], w["sme"], EXE, "setup.pdf").status_code == 409


def test_what_was_shared_stays_downloadable_for_both_parties(client, room_dir):
    w = _closed_deal_with_a_document(client)
    url = f"/api/v1/documents/{w['document_id']}/download"
    for party in (w["investor"], w["sme"]):
        got = client.get(url, headers=party)
        assert got.status_code == 200 and got.data == PDF
        got.close()
    listed = client.get(f"/api/v1/deals/{w['deal_id']}/documents", headers=w["investor"])
    assert [d["id"] for d in listed.get_json()] == [w["document_id"]]


def test_the_page_refuses_in_chinese_first_and_offers_no_upload_form(client, room_dir):
    w = _closed_deal_with_a_document(client)
    client.post("/login", data={"email": w["sme_user"].email, "password": PASSWORD})
    page = f"/deals/{w['deal_id']}"
    form = {"file": (io.BytesIO(PDF), "补充.pdf")}
    refused = client.post(f"{page}/documents", data=form, content_type="multipart/form-data")
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "本交易已处于结束阶段“成交”，数据室只读，不能再上传文件。" in html
    assert 'id="room-read-only"' in html and 'id="upload-form"' not in html
    form = {"file": (io.BytesIO(PDF), "补充.pdf")}
    english = client.post(
        f"{page}/documents?lang=en", data=form, content_type="multipart/form-data"
    ).get_data(as_text=True)
    # The default stage name in the reader's language, as everywhere else on the page.
    assert "closed stage “Closed won”; its data room is read-only" in english
    assert _counts() == (1, 1) and len(_files_in(room_dir)) == 1
    got = client.get(f"/documents/{w['document_id']}/download")
    assert got.status_code == 200 and got.data == PDF
    got.close()


class _ClosingStream(io.BytesIO):
    """An upload body whose first read closes the deal from another connection, as an
    institution user moving it while the enterprise's file is still arriving."""

    def __init__(self, content: bytes, deal_id: int, stage_id: int) -> None:
        super().__init__(content)
        self.deal_id, self.stage_id, self.moved = deal_id, stage_id, False

    def read(self, size: int | None = -1) -> bytes:
        if not self.moved:
            with Session(db.engine) as other:
                other.get(Deal, self.deal_id).stage_id = self.stage_id
                other.commit()
            self.moved = True
        return super().read(size)


def test_a_deal_closed_while_the_file_arrives_still_refuses_it(client, room_dir):
    w = make_deal_world()
    deal_id = w["deal"].id
    stream = _ClosingStream(PDF, deal_id, _stage_id(deal_id, "closed_lost"))
    with pytest.raises(Conflict, match=r"stage 未成交 \(closed_lost\)"):
        data_room.upload_document(w["sme_user"], deal_id, "late.pdf", stream)
    db.session.rollback()
    assert stream.moved and _counts() == (0, 0) and _files_in(room_dir) == []
