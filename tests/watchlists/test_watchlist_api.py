"""The watchlist API and pages: following by id or credit code, who may follow, the list with
latest events, uploading a code list with bad lines, and the follow buttons on the pages."""

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.registry import credit_code
from tests.page_helpers import sign_in
from torchfin.extensions import db
from torchfin.models import Follow, FollowDelivery
from torchfin.services.watchlists.deliveries import deliver_events

API = "/api/v1/watchlist"
WRONG_TYPE = (
    "文件类型不支持，请上传 CSV 或 XLSX 文件 / Unsupported file type: upload a CSV or XLSX file."
)


def _follows() -> int:
    return db.session.scalar(select(func.count()).select_from(Follow))


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)


def test_follow_by_credit_code_lists_latest_events_and_unfollows(watchers, client):
    flow = watchers.flow
    headers = auth(flow.investor)
    code = flow.enterprise.credit_code
    created = client.post(API, json={"credit_code": code.lower()}, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["enterprise_id"] == flow.enterprise_id
    assert created.get_json()["delivery"] == "instant"
    # Following again changes only the delivery.
    body = {"enterprise_id": flow.enterprise_id, "delivery": "daily"}
    again = client.post(API, json=body, headers=headers)
    assert again.status_code == 201 and again.get_json()["delivery"] == "daily"
    assert _follows() == 1
    project_id = flow.publish("动力电池梯次利用产线")

    listed = client.get(API, headers=headers)
    assert listed.status_code == 200
    [entry] = listed.get_json()
    assert entry["enterprise"] == {
        "id": flow.enterprise_id,
        "name": flow.enterprise.name,
        "credit_code": code,
    }
    assert entry["delivery"] == "daily"
    assert [(e["kind"], e["summary"], e["project_id"], e["stage"]) for e in entry["events"]] == [
        ("project_published", "动力电池梯次利用产线", project_id, "b")
    ]

    assert client.delete(f"{API}/{flow.enterprise_id}", headers=headers).status_code == 204
    assert client.delete(f"{API}/{flow.enterprise_id}", headers=headers).status_code == 404
    assert client.get(API, headers=headers).get_json() == []


def test_bad_follows_are_refused_per_field_and_keep_nothing(watchers, client):
    headers = auth(watchers.flow.investor)
    weekly = client.post(API, json={"enterprise_id": 1, "delivery": "weekly"}, headers=headers)
    assert weekly.status_code == 422
    assert set(weekly.get_json()["errors"]["json"]) == {"delivery"}
    neither = client.post(API, json={}, headers=headers)
    assert neither.status_code == 422
    assert neither.get_json()["errors"]["json"] == {
        "credit_code": ["Give the enterprise's credit code or its id."]
    }
    unknown = client.post(API, json={"credit_code": credit_code()}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"]["json"]["credit_code"] == [
        "No enterprise has this credit code."
    ]
    missing = client.post(API, json={"enterprise_id": 999999}, headers=headers)
    assert missing.status_code == 422
    assert "enterprise_id" in missing.get_json()["errors"]["json"]
    assert _follows() == 0


def test_only_investors_fund_managers_and_banks_follow(watchers, client):
    flow = watchers.flow
    body = {"enterprise_id": flow.enterprise_id}
    for user in (flow.sme, watchers.zone_admin):
        refused = client.post(API, json=body, headers=auth(user))
        assert refused.status_code == 403, refused.get_json()
        assert client.get(API, headers=auth(user)).status_code == 403
    for user in (watchers.fund_manager, watchers.user(watchers.bank_id)):
        assert client.post(API, json=body, headers=auth(user)).status_code == 201
    assert client.post(API, json=body).status_code == 401
    assert _follows() == 2


def _upload(client, headers, name: str, content: bytes, delivery: str = "instant"):
    return client.post(
        f"{API}/codes?delivery={delivery}",
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_code_list_follows_the_good_lines_and_reports_the_bad_ones(watchers, client):
    flow = watchers.flow
    headers = auth(flow.investor)
    code = flow.enterprise.credit_code
    bad_check = code[:-1] + ("0" if code[-1] != "0" else "1")
    unknown = credit_code()
    lines = ["统一社会信用代码", _full_width(code), bad_check, unknown, "", "ABC", code]
    content = "\n".join(lines).encode("gbk")

    first = _upload(client, headers, "关注清单.csv", content, "daily")

    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["followed"] == [flow.enterprise_id] and body["already"] == []
    assert [(p["line"], p["code"]) for p in body["problems"]] == [
        (3, bad_check),
        (4, unknown),
        (6, "ABC"),
    ]
    assert body["problems"][0]["message"].startswith("信用代码无效 / Invalid credit code: ")
    assert "code_check" in body["problems"][0]["message"]
    assert body["problems"][1]["message"] == (
        "平台上没有此信用代码的企业 / No enterprise on the platform has this code."
    )
    assert db.session.scalars(select(Follow.delivery)).all() == [FollowDelivery.DAILY]

    second = _upload(client, headers, "关注清单.csv", content, "daily")
    assert second.get_json()["followed"] == [] and second.get_json()["already"] == [
        flow.enterprise_id
    ]
    assert _follows() == 1


def test_a_code_list_in_xlsx_is_read_from_its_first_column(watchers, client):
    flow = watchers.flow
    book = Workbook()
    book.active.append(["统一社会信用代码", "企业名称"])
    book.active.append([flow.enterprise.credit_code, flow.enterprise.name])
    stream = io.BytesIO()
    book.save(stream)

    response = _upload(client, auth(flow.investor), "codes.xlsx", stream.getvalue())

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["followed"] == [flow.enterprise_id]


def test_unreadable_code_lists_are_refused_and_follow_nothing(watchers, client):
    headers = auth(watchers.flow.investor)
    for name, content, message in (
        ("codes.csv", b"   \n", "文件为空 / The file is empty."),
        ("codes.pdf", b"%PDF-1.4", WRONG_TYPE),
        ("codes.csv", b"\n\n,\n", "文件中没有信用代码 / The file holds no credit codes."),
        ("codes.xlsx", b"PK\x03\x04broken", None),
    ):
        response = _upload(client, headers, name, content)
        assert response.status_code == 422, (name, response.get_json())
        messages = response.get_json()["errors"]["files"]["file"]
        assert message is None or messages == [message]
    refused = _upload(client, headers, "codes.csv", b"x", delivery="hourly")
    assert refused.status_code == 422
    assert "delivery" in refused.get_json()["errors"]["query"]
    assert _follows() == 0


def test_follow_buttons_watchlist_page_and_notifications(watchers, client):
    flow = watchers.flow
    sign_in(client, flow.investor)
    page = client.get(f"/enterprises/{flow.enterprise_id}").get_data(as_text=True)
    assert f'data-follow="{flow.enterprise_id}"' in page and "关注" in page

    followed = client.post(
        f"/watchlist/{flow.enterprise_id}/follow",
        data={"next": f"/enterprises/{flow.enterprise_id}", "delivery": "instant"},
    )
    assert followed.status_code == 302
    assert followed.headers["Location"].endswith(f"/enterprises/{flow.enterprise_id}")
    assert "取消关注" in client.get(f"/enterprises/{flow.enterprise_id}").get_data(as_text=True)
    flow.publish("动力电池梯次利用产线")
    assert deliver_events(FollowDelivery.INSTANT) == 1

    watchlist = client.get("/watchlist")
    assert watchlist.status_code == 200
    text = watchlist.get_data(as_text=True)
    assert flow.enterprise.name in text and "发布融资项目" in text
    notes = client.get("/notifications").get_data(as_text=True)
    assert "关注的企业有 1 条新动态" in notes and "动力电池梯次利用产线" in notes

    refused = client.post(
        "/watchlist/codes",
        data={"file": (io.BytesIO(b""), "codes.csv"), "delivery": "instant"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "文件为空" in refused.get_data(as_text=True)
    uploaded = client.post(
        "/watchlist/codes",
        data={"file": (io.BytesIO(b"ABC\n"), "codes.txt"), "delivery": "daily"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 200
    assert 'data-line="1"' in uploaded.get_data(as_text=True)

    unfollowed = client.post(f"/watchlist/{flow.enterprise_id}/unfollow", data={})
    assert unfollowed.status_code == 302 and unfollowed.headers["Location"].endswith("/watchlist")
    assert _follows() == 0

    sign_in(client, flow.sme)
    page = client.get(f"/enterprises/{flow.enterprise_id}").get_data(as_text=True)
    assert "data-follow=" not in page
    assert client.post(f"/watchlist/{flow.enterprise_id}/follow", data={}).status_code == 403


def test_search_results_carry_the_follow_button(watchers, client, run_worker):
    flow = watchers.flow
    flow.publish("动力电池梯次利用产线")
    follows_before = _follows()
    run_worker()  # indexes the enterprise and its project
    sign_in(client, flow.investor)

    page = client.get("/search", query_string={"q": "动力电池"}).get_data(as_text=True)

    assert "梯次利用产线" in page  # the title, its matching words highlighted
    assert f'data-follow="{flow.enterprise_id}"' in page
    assert follows_before == 0
    followed = client.post(f"/watchlist/{flow.enterprise_id}/follow", data={"next": "/search"})
    assert followed.headers["Location"].endswith("/search")
    again = client.get("/search", query_string={"q": "动力电池"}).get_data(as_text=True)
    assert f'action="/watchlist/{flow.enterprise_id}/unfollow"' in again
