"""Web pages (server-rendered Jinja, Chinese first, English through Flask-Babel)."""

from flask import Blueprint

web = Blueprint("web", __name__, template_folder="templates")

# The modules attach their routes, template helpers and error views to the blueprint.
from torchfin.web import (  # noqa: E402,F401
    admin_duplicates,
    admin_queues,
    assets,
    context,
    dashboards,
    data_room,
    deal_flow,
    exports,
    finance,
    finance_labels,
    fund_records,
    funds,
    matching,
    pipeline_settings,
    policies,
    policy_labels,
    pool_pages,
    readiness,
    readiness_facts,
    records,
    registry_imports,
    sme,
    subscriptions,
    views,
    watchlist,
)
