"""Content-Security-Policy: scripts by origin or by this response's nonce, never 'unsafe-inline'."""

import re

from tests.factories.accounts import PASSWORD, make_user
from torchfin.models.enums import Role


def _script_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_script_src_carries_a_fresh_nonce_and_no_unsafe_inline(client):
    first, second = client.get("/login"), client.get("/login")
    assert "'unsafe-inline'" not in _script_src(first)
    nonces = [re.search(r"'nonce-([^']+)'", _script_src(r)).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16


def test_the_api_docs_inline_script_carries_the_nonce_of_its_response(client):
    page = client.get("/api/v1/docs")
    nonce = re.search(r"'nonce-([^']+)'", _script_src(page)).group(1)
    html = page.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_pages_have_no_inline_event_handlers(client):
    """Handlers like onclick= cannot carry a nonce: none may be left in the templates."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "torchfin"
    offenders = [
        str(path)
        for path in templates.rglob("*.html")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_sign_in_page_still_signs_in(client):
    user = make_user(Role.SME)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 303)
