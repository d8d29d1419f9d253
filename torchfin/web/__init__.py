"""Web pages (Jinja, Chinese first)."""

from flask import Blueprint

web = Blueprint("web", __name__, template_folder="templates")

from torchfin.web import views  # noqa: E402,F401  (routes attach to the blueprint)
