"""Records folded onto the top-level industries they work in, for counting by industry."""

from sqlalchemy import Subquery, Table, func, select

from torchfin.models import Industry


def top_industry_links(links: Table, record_column: str) -> Subquery:
    """(top_id, record_id) pairs of an industry association table (`enterprise_industry` by
    `enterprise_id`, `project_industry` by `project_id`), each pair once: a record listed under
    several sub-fields of one industry counts once for that industry."""
    # The taxonomy has two levels: a sub-field's top level is its parent, a top level is itself.
    top = func.coalesce(Industry.parent_id, Industry.id).label("top_id")
    return (
        select(top, links.c[record_column].label("record_id"))
        .join(Industry, Industry.id == links.c.industry_id)
        .distinct()
        .subquery()
    )
