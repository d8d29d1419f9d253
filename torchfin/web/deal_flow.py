"""The deal-flow search page: text, filters, facets, sorting, numbered pages for the first pages
and a search_after cursor ("load more") beyond, type-ahead, and saving the search."""

import math
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from schemas.search import LIST_ARGS, SearchArgsSchema
from torchfin.extensions import limiter
from torchfin.security import caller_key, search_limit
from torchfin.services.deal_flow.discovery import search_deal_flow
from torchfin.services.errors import Unavailable
from torchfin.services.registry import choices
from torchfin.web import web
from torchfin.web.context import language
from torchfin.web.formatting import format_money, format_percent, localized_name
from torchfin.web.labels import (
    ALERT_FREQUENCIES,
    INSTRUMENTS,
    QUALIFICATIONS,
    SORT_LABELS,
    STAGES,
    label,
    province_name,
)
from torchfin.web.messages import localise

search_args_schema = SearchArgsSchema()

# The arguments SearchArgsSchema knows; the list-valued ones repeat in the query string.
LIST_FIELDS = LIST_ARGS
# Also the order in which arguments appear in the page's links: the words first, the page last.
FIELD_ORDER = (
    "q",
    "literal",
    "kind",
    *LIST_FIELDS,
    "amount_min",
    "amount_max",
    "founded_from",
    "founded_to",
    "rd_intensity_min",
    "patents_min",
    "sort",
    "page_size",
    "page",
    "cursor",
)
# Arguments that repeat in the query string: the list filters, and the terms of q taken literally.
REPEATED = (*LIST_FIELDS, "literal")
# Filters that only mean something for projects; dropped when switching to enterprises.
PROJECT_ONLY = ("stage", "instrument", "amount_min", "amount_max", "sort")
# Filters holding one value each, shown as chips beside the list filters.
SCALAR_FILTERS = (
    "amount_min",
    "amount_max",
    "founded_from",
    "founded_to",
    "rd_intensity_min",
    "patents_min",
)
# Minimum R&D intensity choices offered (share of revenue); the API takes any value in [0, 1].
RD_INTENSITY_CHOICES = ("0.03", "0.05", "0.10", "0.15", "0.20")
# Facets the searcher can click to filter by (the others are counts only).
FILTERABLE_FACETS = set(LIST_FIELDS)
MAX_PAGE = 500  # SearchArgsSchema refuses later pages
# Pages reachable by number; beyond them the searcher goes on with "load more" (search_after),
# which costs Elasticsearch the same on page 2 as on page 2,000.
NUMBERED_PAGES = 10


def parse_search_args(args: MultiDict) -> dict:
    """The query string as a plain dict for SearchArgsSchema.

    Known keys only (`lang` and the like belong to other layers), list fields through getlist,
    and blank values dropped: an empty box or an "any" choice means no restriction.
    """
    raw: dict = {}
    for name in FIELD_ORDER:
        if name in REPEATED:
            values = [v.strip() for v in args.getlist(name) if v.strip()]
            if values:
                raw[name] = values
        else:
            value = args.get(name, "").strip()
            if value:
                raw[name] = value
    return raw


def error_messages(messages: dict, labels: dict | None = None) -> list[tuple[str, str]]:
    """Marshmallow's nested error dict flattened to (field label, message) pairs.

    A nested schema's messages (the `query` of a saved search) are labelled with the inner
    field they are about, list items with their list's field; `labels` names fields that are
    no search field. Messages are said in the page's language where their wording is known.
    """
    flat: list[tuple[str, str]] = []

    def walk(name: str, value) -> None:
        if isinstance(value, dict):
            for key, nested in value.items():
                inner = isinstance(key, str) and key != "_schema"
                walk(key if inner else name, nested)
        elif isinstance(value, list):
            for item in value:
                walk(name, item)
        elif name == "_schema":
            flat.append(("", localise(value)))
        elif labels and name in labels:
            flat.append((str(labels[name]), localise(value)))
        else:
            flat.append((label("search_field", name), localise(value)))

    for name, value in messages.items():
        walk(name, value)
    return flat


class FacetNames:
    """How facet and filter values read on the page: zone and industry names, enum labels."""

    def __init__(self, zones: list, industries: list, lang: str) -> None:
        self.zones = {z.code: z for z in zones}
        self.industries = {i.code: i for i in industries}
        self.lang = lang

    def __call__(self, name: str, value: str) -> str:
        if name in ("zone", "industry", "subindustry"):
            record = (self.zones if name == "zone" else self.industries).get(value)
            return localized_name(record, self.lang) if record else value
        if name == "province":
            return province_name(value, self.lang)
        if name in ("stage", "instrument", "qualification"):
            return label(name, value)
        if name in ("amount_min", "amount_max"):
            return format_money(value, self.lang)
        if name == "rd_intensity_min":
            return format_percent(value)
        return value


class SearchLinks:
    """Links of the search page built from the current arguments (page reset unless named)."""

    def __init__(self, raw: dict) -> None:
        self.raw = {k: v for k, v in raw.items() if k != "page"}

    def url(self, params: dict, endpoint: str = "web.search") -> str:
        pairs = [
            (name, v)
            for name, value in params.items()
            for v in (value if isinstance(value, list) else [value])
        ]
        base = url_for(endpoint)
        return f"{base}?{urlencode(pairs)}" if pairs else base

    def kind(self, kind: str) -> str:
        """Switch between projects and enterprises, keeping the filters both understand."""
        params = {k: v for k, v in self.raw.items() if k not in PROJECT_ONLY}
        params["kind"] = kind
        return self.url(params)

    def toggle(self, name: str, value: str) -> str:
        """Add `value` to filter `name`, or take it out when it is already there."""
        params = self._fresh()
        values = list(params.get(name, []))
        values = [v for v in values if v != value] if value in values else [*values, value]
        params[name] = values
        return self.url({k: v for k, v in params.items() if v})

    def without(self, name: str) -> str:
        """Drop a filter entirely (a scalar such as q, or every value of a list filter)."""
        return self.url({k: v for k, v in self.raw.items() if k not in (name, "cursor")})

    def as_filter(self, term: dict) -> str:
        """The same search with a term of q (an `understood` term) set as its filter instead."""
        params = self._fresh()
        params["q"] = term["q_without"]
        params[term["facet"]] = list(
            dict.fromkeys([*params.get(term["facet"], []), *term["values"]])
        )
        return self.url({k: v for k, v in params.items() if v})

    def literally(self, texts: list[str]) -> str:
        """The same search with terms of q taken as words, not as what they name."""
        params = self._fresh()
        params["literal"] = list(dict.fromkeys([*params.get("literal", []), *texts]))
        return self.url(params)

    def page(self, number: int) -> str:
        """The same search at page `number`."""
        return self.url({**self._fresh(), "page": str(number)})

    def after(self, cursor: str) -> str:
        """The results after the last one shown (search_after), however deep."""
        return self.url({**self._fresh(), "cursor": cursor})

    def export(self, endpoint: str) -> str:
        """An export of the whole current result set (not just this page)."""
        params = {k: v for k, v in self._fresh().items() if k not in ("page", "page_size")}
        return self.url(params, endpoint)

    def _fresh(self) -> dict:
        # Paging anew starts from the top: a cursor belongs to the page it came from.
        return {k: v for k, v in self.raw.items() if k != "cursor"}


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and `radius` around the current one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


@web.get("/search")
@limiter.limit(search_limit, key_func=caller_key)
@login_required
def search():
    """Search deal flow; invalid arguments are shown on the page with status 422."""
    raw = parse_search_args(request.args)
    zones = choices.zone_choices()
    industries = choices.top_industry_choices()
    subindustries = choices.sub_industry_choices()
    facet_value = FacetNames(zones, [*industries, *subindustries], language())
    context = {
        "raw": raw,
        "kind": raw.get("kind", "project"),
        "links": SearchLinks(raw),
        "zones": zones,
        "zones_by_code": {z.code: z for z in zones},
        "provinces": choices.province_choices(),
        "industries": industries,
        "subindustries": subindustries,
        "facet_value": facet_value,
        # What an understood term's filter reads: its values' names (a city: its zones).
        "term_names": lambda term: "、".join(facet_value(term["facet"], v) for v in term["values"]),
        "filterable": FILTERABLE_FACETS,
        "list_filters": LIST_FIELDS,
        "scalar_filters": SCALAR_FILTERS,
        "field_label": lambda name: label("search_field", name),
        "term_label": lambda facet: label("understood_facet", facet),
        "stage_options": STAGES.items(),
        "instrument_options": INSTRUMENTS.items(),
        "qualification_options": QUALIFICATIONS.items(),
        "rd_intensity_choices": RD_INTENSITY_CHOICES,
        "sort_options": SORT_LABELS.items(),
        "frequency_options": ALERT_FREQUENCIES.items(),
        "result": None,
        "errors": [],
        "unavailable": False,
    }
    try:
        args = search_args_schema.load(raw)
    except ValidationError as exc:
        context["errors"] = error_messages(exc.normalized_messages())
        return render_template("search.html", **context), 422
    try:
        result = search_deal_flow(args)
    except Unavailable:
        context["unavailable"] = True
        return render_template("search.html", **context), 503
    # Numbered pages cover the first pages only; a cursor page has no number at all.
    pages = min(math.ceil(result["total"] / result["page_size"]), MAX_PAGE, NUMBERED_PAGES)
    numbered = pages > 1 and not args.get("cursor")
    context.update(
        result=result,
        pages=pages,
        window=page_window(result["page"], pages) if numbered else [],
    )
    return render_template("search.html", **context)
