"""A deal's data room through the API and the pages: round trips, refusals that leave nothing
behind, who may see what, and the download log."""

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.matching import make_deal_world
from tests.matching.documents import EXE, PDF, docx_bytes, plain_zip, xlsx_bytes
from torchfin.extensions import db
from torchfin.models import DealDocument, DealEvent, DocumentDownload
from torchfin.models.enums import DealEventKind, Role
from torchfin.services.matching import data_room


def _files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _counts() -> tuple[int, int]:
    documents = db.session.scalar(select(func.count()).select_from(DealDocument))
    events = db.session.scalar(select(func.count()).where(DealEvent.kind == DealEventKind.DOCUMENT))
    return documents, events


def _upload(client, deal_id: int, headers: dict, content: bytes, name: str):
    return client.post(
        f"/api/v1/deals/{deal_id}/documents",
        data={"file": (io.BytesIO(content), name, "application/pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_sme_uploads_and_the_institution_downloads_the_same_bytes_and_is_logged(client, room_dir):
    w = make_deal_world()
    deal_id, workbook = w["deal"].id, xlsx_bytes()
    created = _upload(client, deal_id, w["sme"], workbook, "财务报表 2024.xlsx")
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert (doc["kind"], doc["size"], doc["filename"]) == (
        "xlsx",
        len(workbook),
        "财务报表 2024.xlsx",
    )
    assert doc["sha256"] == hashlib.sha256(workbook).hexdigest()
    # Stored under a random key, never under the user's name.
    (stored,) = _files_in(room_dir)
    assert stored.name == db.session.get(DealDocument, doc["id"]).storage_key
    assert "财务" not in str(stored) and stored.read_bytes() == workbook

    listed = client.get(f"/api/v1/deals/{deal_id}/documents", headers=w["investor"])
    assert [d["id"] for d in listed.get_json()] == [doc["id"]]
    got = client.get(f"/api/v1/documents/{doc['id']}/download", headers=w["investor"])
    assert got.status_code == 200 and got.data == workbook
    assert got.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in got.headers["Content-Disposition"]
    assert got.headers["Cache-Control"] == "no-store"
    got.close()

    log = client.get(f"/api/v1/deals/{deal_id}/downloads", headers=w["sme"]).get_json()
    assert [(e["document_id"], e["user_id"], e["channel"]) for e in log] == [
        (doc["id"], w["investor_user"].id, "api")
    ]
    assert log[0]["institution_id"] == w["deal"].institution_id and log[0]["at"]
    assert _counts() == (1, 1)  # and the upload is a deal event


def test_docx_and_pdf_are_accepted_on_their_bytes(client, room_dir):
    w = make_deal_world()
    for content, name in ((docx_bytes(), "商业计划书.DOCX"), (PDF, "路演.pdf")):
        response = _upload(client, w["deal"].id, w["sme"], content, name)
        assert response.status_code == 201, response.get_json()
    kinds = [
        d["kind"]
        for d in client.get(f"/api/v1/deals/{w['deal'].id}/documents", headers=w["sme"]).get_json()
    ]
    assert kinds == ["docx", "pdf"]


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (EXE, "年报.pdf", "not a PDF"),
        (xlsx_bytes(), "plan.docx", "content is a XLSX"),
        (plain_zip(), "sheet.xlsx", "not a XLSX"),
        (PDF, "notes.txt", "'.txt'"),
        (PDF, "no-extension", "(none)"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_a_file_of_the_wrong_type_is_422_with_a_field_message_and_leaves_nothing(
    client, room_dir, content, name, says
):
    w = make_deal_world()
    refused = _upload(client, w["deal"].id, w["sme"], content, name)
    assert refused.status_code == 422
    messages = refused.get_json()["errors"]["files"]["file"]
    assert any(says in m for m in messages), messages
    assert _counts() == (0, 0) and _files_in(room_dir) == []


def test_a_missing_file_is_422_naming_the_field(client, room_dir):
    w = make_deal_world()
    refused = client.post(
        f"/api/v1/deals/{w['deal'].id}/documents",
        data={"other": "x"},
        headers=w["sme"],
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "file" in refused.get_json()["errors"]["files"]


def test_a_file_over_the_limit_is_413_and_leaves_nothing(client, app, room_dir, monkeypatch):
    w = make_deal_world()
    monkeypatch.setitem(app.config, "DATA_ROOM_MAX_BYTES", len(PDF) - 1)
    just_over = _upload(client, w["deal"].id, w["sme"], PDF, "big.pdf")
    assert just_over.status_code == 413
    assert "limit" in just_over.get_json()["errors"]["files"]["file"][0]
    # Far over: the body itself exceeds the raised request limit and is never read.
    far_over = PDF + b"0" * (data_room.MULTIPART_ALLOWANCE + 10_000)
    huge = _upload(client, w["deal"].id, w["sme"], far_over, "huge.pdf")
    assert huge.status_code == 413 and "file" in huge.get_json()["errors"]["files"]
    assert _counts() == (0, 0) and _files_in(room_dir) == []
    monkeypatch.setitem(app.config, "DATA_ROOM_MAX_BYTES", len(PDF))
    assert _upload(client, w["deal"].id, w["sme"], PDF, "exact.pdf").status_code == 201


def test_the_data_room_limit_may_exceed_max_content_length(client, app, room_dir, monkeypatch):
    w = make_deal_world()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    big = PDF + b"%" * 200_000  # still a PDF, well over MAX_CONTENT_LENGTH
    created = _upload(client, w["deal"].id, w["sme"], big, "scan.pdf")
    assert created.status_code == 201 and created.get_json()["size"] == len(big)


def test_a_failed_commit_leaves_no_file(client, room_dir, monkeypatch):
    w = make_deal_world()

    def refuse_commit() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", refuse_commit)
    with pytest.raises(RuntimeError):
        data_room.upload_document(w["sme_user"], w["deal"].id, "a.pdf", io.BytesIO(PDF))
    monkeypatch.undo()
    db.session.rollback()
    assert _counts() == (0, 0) and _files_in(room_dir) == []


def test_other_institutions_and_other_smes_see_nothing_and_leave_no_trace(client, room_dir):
    w = make_deal_world()
    doc = _upload(client, w["deal"].id, w["sme"], PDF, "bp.pdf").get_json()
    deal_url = f"/api/v1/deals/{w['deal'].id}"
    for outsider in (w["stranger"], w["other_sme"]):
        assert client.get(f"{deal_url}/documents", headers=outsider).status_code == 404
        assert client.get(f"{deal_url}/downloads", headers=outsider).status_code == 404
        assert (
            client.get(f"/api/v1/documents/{doc['id']}/download", headers=outsider).status_code
            == 404
        )
        assert _upload(client, w["deal"].id, outsider, PDF, "x.pdf").status_code == 404
    # The institution reads but does not share: uploading is the enterprise's.
    assert _upload(client, w["deal"].id, w["investor"], PDF, "x.pdf").status_code == 403
    assert client.get(f"/api/v1/documents/{doc['id']}/download").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(DocumentDownload)) == 0
    assert _counts() == (1, 1) and len(_files_in(room_dir)) == 1


def _login(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_pages_upload_download_and_show_the_log_to_the_sme(client, room_dir):
    w = make_deal_world()
    page = f"/deals/{w['deal'].id}"
    _login(client, w["sme_user"])
    refused = client.post(
        f"{page}/documents",
        data={"file": (io.BytesIO(EXE), "setup.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "只能上传 PDF、XLSX 或 DOCX" in refused.get_data(
        as_text=True
    )
    assert _files_in(room_dir) == [] and _counts() == (0, 0)
    document = docx_bytes()
    sent = client.post(
        f"{page}/documents",
        data={"file": (io.BytesIO(document), "尽调清单.docx")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    doc_id = db.session.scalar(select(DealDocument.id))
    client.post("/logout")

    _login(client, w["investor_user"])
    investor_page = client.get(page).get_data(as_text=True)
    assert "尽调清单.docx" in investor_page and 'id="upload-form"' not in investor_page
    got = client.get(f"/documents/{doc_id}/download")
    assert got.status_code == 200 and got.data == document
    got.close()
    client.post("/logout")

    _login(client, w["sme_user"])
    sme_page = client.get(page).get_data(as_text=True)
    assert 'id="upload-form"' in sme_page and 'id="download-log"' in sme_page
    assert w["investor_user"].display_name in sme_page
    (entry,) = db.session.scalars(select(DocumentDownload))
    assert (entry.document_id, entry.user_id, entry.channel) == (
        doc_id,
        w["investor_user"].id,
        "page",
    )


def test_admins_see_the_documents_listed_without_download_links(client, room_dir):
    """Admins oversee the deal, but the contents were shared with the counterpart alone."""
    w = make_deal_world()
    sent = _upload(client, w["deal"].id, auth(w["sme_user"]), PDF, "财务报表.pdf")
    assert sent.status_code == 201, sent.json
    _login(client, make_user(Role.ADMIN))
    page = client.get(f"/deals/{w['deal'].id}").get_data(as_text=True)
    assert "财务报表.pdf" in page
    assert f"/documents/{sent.json['id']}/download" not in page
    assert client.get(f"/documents/{sent.json['id']}/download").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(DocumentDownload)) == 0
