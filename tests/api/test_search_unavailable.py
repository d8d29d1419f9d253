"""Search when Elasticsearch cannot be reached: a clear 503, on the API and on the page."""

import pytest

from tests.factories.accounts import PASSWORD, auth, make_user
from torchfin import create_app
from torchfin.models.enums import Role


@pytest.fixture
def app_without_search(app):
    # A port nothing listens on: the real client meets a real connection failure.
    broken = create_app({"ELASTICSEARCH_URL": "http://127.0.0.1:9", "WTF_CSRF_ENABLED": False})
    with broken.app_context():
        yield broken


def test_search_api_answers_503_with_a_message(app_without_search):
    user = make_user(Role.INVESTOR)
    response = app_without_search.test_client().get(
        "/api/v1/search", query_string={"q": "芯片"}, headers=auth(user)
    )
    assert response.status_code == 503
    assert "unavailable" in response.json["message"]


def test_search_page_says_search_is_unavailable(app_without_search):
    user = make_user(Role.INVESTOR)
    client = app_without_search.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.get("/search", query_string={"q": "芯片"})
    assert response.status_code == 503
    assert "搜索服务暂时不可用" in response.get_data(as_text=True)
