"""Front-end libraries served from node_modules (the platform runs without internet access).

Swagger UI for the API docs page (OPENAPI_SWAGGER_UI_URL = "/vendor/swagger-ui/") and ECharts for
the dashboards. They live outside Flask's /static because npm installs them at the repository root.
"""

from pathlib import Path

from flask import current_app, send_from_directory

from torchfin.web import web

CACHE_SECONDS = 24 * 3600


def node_modules() -> Path:
    """Where npm installed the front-end packages (NODE_MODULES_DIR)."""
    return Path(current_app.config["NODE_MODULES_DIR"])


@web.get("/vendor/swagger-ui/<path:filename>")
def swagger_ui_asset(filename: str):
    """A file of swagger-ui-dist (send_from_directory refuses paths leaving the folder)."""
    return send_from_directory(node_modules() / "swagger-ui-dist", filename, max_age=CACHE_SECONDS)


@web.get("/vendor/echarts/<path:filename>")
def echarts_asset(filename: str):
    """A file of the ECharts distribution (echarts/dist)."""
    return send_from_directory(node_modules() / "echarts" / "dist", filename, max_age=CACHE_SECONDS)
