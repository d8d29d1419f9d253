"""Suspected duplicate enterprises: flagged at registration, merged or dismissed by an admin.

The similarity rule, applied only between enterprises of the same zone:

1. Normalise both names: NFKC (full-width letters and brackets become plain ones), drop blanks,
   drop anything in brackets ("芯算科技（北京）有限公司"), drop the zone's province and city
   as leading prefixes, with or without their suffix (北京 / 北京市), and drop the words every
   company name carries (股份有限公司, 有限责任公司, 有限公司, 公司, 集团, 科技, 技术).
2. The two cores are similar when both are non-empty and either
   - difflib's ratio 2·M / (len a + len b) is at least 0.85 (compared in integers, so the
     boundary is exact), or
   - they are at most one edit apart (Levenshtein) and the shorter has at least three
     characters: two-character cores one edit apart (华为 / 华丰) are usually different firms.

A registration is never refused for a similar name (the credit code is the identity); it is
flagged, and an admin decides.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from sqlalchemy import (
    Column,
    PrimaryKeyConstraint,
    Select,
    Table,
    UniqueConstraint,
    delete,
    exists,
    select,
    update,
)

from torchfin.extensions import db
from torchfin.models import (
    AccessGrant,
    DuplicateFlag,
    Enterprise,
    Organisation,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import FlagStatus, GrantState, Role
from torchfin.services.errors import Invalid
from torchfin.services.outbox import notify_search, record_delete, record_upsert
from torchfin.services.permissions import require_admin
from torchfin.services.records import get_or_404
from torchfin.services.workflow import Move, check_move

RATIO_PERCENT = 85  # difflib ratio threshold, in percent
MAX_EDITS = 1
MIN_EDIT_LENGTH = 3
MAX_FLAGS = 5  # per registration: the closest names only
# An admin resolves an open flag once, one way or the other.
FLAG_MOVES = {
    "dismiss": Move(frozenset({FlagStatus.OPEN}), FlagStatus.DISMISSED, Role.ADMIN),
    "merge": Move(frozenset({FlagStatus.OPEN}), FlagStatus.MERGED, Role.ADMIN),
}
GENERIC_WORDS = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "科技", "技术")
PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class Similarity:
    """How close two names are: difflib's ratio of the cores, and whether the rule says similar."""

    ratio: Decimal
    similar: bool


def _place_prefixes(places: tuple[str, ...]) -> list[str]:
    # "北京市" and "北京" both occur as prefixes; try the longer spelling first.
    names = set()
    for place in filter(None, places):
        names.add(place)
        for suffix in PLACE_SUFFIXES:
            if place.endswith(suffix) and len(place) > len(suffix):
                names.add(place.removesuffix(suffix))
    return sorted(names, key=len, reverse=True)


def normalise_name(name: str, places: tuple[str, ...] = ()) -> str:
    """The core of an enterprise name that the similarity rule compares (see the module doc)."""
    text = _BLANKS.sub("", unicodedata.normalize("NFKC", name)).lower()
    text = _BRACKETED.sub("", text)
    prefixes = _place_prefixes(places)
    stripped = True
    while stripped:
        stripped = False
        for prefix in prefixes:
            if text.startswith(prefix):
                text, stripped = text.removeprefix(prefix), True
                break
    for word in GENERIC_WORDS:
        text = text.replace(word, "")
    return text


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions from a to b."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def compare_cores(a: str, b: str) -> Similarity:
    """Apply the rule to two normalised names."""
    total = len(a) + len(b)
    if not a or not b:
        return Similarity(Decimal(0), False)
    matched = sum(block.size for block in SequenceMatcher(None, a, b).get_matching_blocks())
    by_ratio = 2 * matched * 100 >= RATIO_PERCENT * total
    by_edits = min(len(a), len(b)) >= MIN_EDIT_LENGTH and edit_distance(a, b) <= MAX_EDITS
    ratio = (Decimal(2 * matched) / total).quantize(Decimal("0.001"))
    return Similarity(ratio, by_ratio or by_edits)


def compare_names(a: str, b: str, places: tuple[str, ...] = ()) -> Similarity:
    """Apply the rule to two enterprise names of a zone whose province and city are `places`."""
    return compare_cores(normalise_name(a, places), normalise_name(b, places))


def flag_similar_names(enterprise: Enterprise) -> list[DuplicateFlag]:
    """Flag the enterprises of the same zone whose names are similar to `enterprise`'s.

    Runs inside the registering or renaming transaction (the caller commits). A pair that
    already has an open flag, in either direction, is not flagged twice: a rename that keeps
    the names close leaves the admin one decision to take.
    """
    places = (enterprise.zone.province, enterprise.zone.city)
    core = normalise_name(enterprise.name, places)
    db.session.flush()  # a new enterprise needs its id, a renamed one its zone
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.name).where(
            Enterprise.zone_id == enterprise.zone_id, Enterprise.id != enterprise.id
        )
    )
    already = _open_flag_partners(enterprise.id)
    scored = []
    for other_id, other_name in rows:
        if other_id in already:
            continue
        similarity = compare_cores(core, normalise_name(other_name, places))
        if similarity.similar:
            scored.append((similarity.ratio, other_id, other_name))
    scored.sort(reverse=True)
    flags = [
        DuplicateFlag(
            enterprise_id=enterprise.id,
            candidate_id=other_id,
            enterprise_name=enterprise.name,
            candidate_name=other_name,
            similarity=ratio,
        )
        for ratio, other_id, other_name in scored[:MAX_FLAGS]
    ]
    db.session.add_all(flags)
    return flags


def _open_flag_partners(enterprise_id: int) -> set[int]:
    """The enterprises that `enterprise_id` has an open flag with, either way round."""
    rows = db.session.execute(
        select(DuplicateFlag.enterprise_id, DuplicateFlag.candidate_id).where(
            DuplicateFlag.status == FlagStatus.OPEN,
            (DuplicateFlag.enterprise_id == enterprise_id)
            | (DuplicateFlag.candidate_id == enterprise_id),
        )
    )
    return {other for pair in rows for other in pair if other != enterprise_id}


def list_flags(user: User, status: FlagStatus) -> Select:
    """Flags in `status` for the admin, newest first."""
    require_admin(user, "review suspected duplicates")
    return (
        select(DuplicateFlag)
        .where(DuplicateFlag.status == status)
        .order_by(DuplicateFlag.id.desc())
    )


def open_flags(user: User) -> list[DuplicateFlag]:
    """The open flags, for the admin page."""
    return list(db.session.scalars(list_flags(user, FlagStatus.OPEN)))


def _open_flag(user: User, flag_id: int, action: str) -> DuplicateFlag:
    require_admin(user, f"{action} suspected duplicates")
    flag = get_or_404(DuplicateFlag, flag_id, "duplicate flag")
    check_move(FLAG_MOVES, action, flag.status, user.role, "duplicate flag", {})
    return flag


def _resolve(flag: DuplicateFlag, user: User, action: str) -> None:
    flag.status, flag.decided_by, flag.decided_at = FLAG_MOVES[action].target, user, utcnow()


def dismiss(user: User, flag_id: int) -> DuplicateFlag:
    """The admin judged the two enterprises distinct: close the flag, change nothing else."""
    flag = _open_flag(user, flag_id, "dismiss")
    _resolve(flag, user, "dismiss")
    db.session.commit()
    return flag


def merge(user: User, flag_id: int, survivor_id: int) -> Enterprise:
    """Merge the flagged pair into `survivor_id` (one of the two) and delete the other.

    Every row that refers to the duplicate follows the survivor: projects, financial years and
    qualifications the survivor lacks, industries, users, access grants, the access log, other
    flags, and whatever other records point at an enterprise. Where the survivor already has
    the row a unique key allows once (a year's financials, a qualification kind, an
    organisation), the survivor's is kept and the duplicate's goes with it. The search
    documents of both are updated through the outbox, in the same transaction.
    """
    flag = _open_flag(user, flag_id, "merge")
    pair = {flag.enterprise_id, flag.candidate_id}
    if survivor_id not in pair:
        raise Invalid(
            "survivor not in the pair",
            {"survivor_id": [f"Must be one of {sorted(pair)}."]},
        )
    (duplicate_id,) = pair - {survivor_id}
    survivor = get_or_404(Enterprise, survivor_id, "enterprise")
    duplicate = get_or_404(Enterprise, duplicate_id, "enterprise")
    _resolve(flag, user, "merge")
    _fill_blanks(survivor, duplicate)
    _merge_organisations(survivor_id, duplicate_id)
    _close_clashing_grants(survivor_id, duplicate_id)
    db.session.flush()
    for table, column in _enterprise_references():
        _move_rows(table, column, duplicate_id, survivor_id)
    _resolve_pair_flags(user, survivor_id)
    # The ORM's collections were loaded before the bulk moves; reload what is left.
    db.session.expire_all()
    duplicate = db.session.get(Enterprise, duplicate_id)
    record_delete(db.session, duplicate)
    db.session.delete(duplicate)
    survivor = db.session.get(Enterprise, survivor_id)
    record_upsert(db.session, survivor)
    for project in survivor.projects:  # project documents carry the enterprise's fields
        record_upsert(db.session, project)
    db.session.commit()
    notify_search()
    return survivor


def _fill_blanks(survivor: Enterprise, duplicate: Enterprise) -> None:
    # Profile fields the survivor never filled in are taken from the duplicate.
    if not survivor.description:
        survivor.description = duplicate.description
    if survivor.employees is None:
        survivor.employees = duplicate.employees


def _merge_organisations(survivor_id: int, duplicate_id: int) -> None:
    # An organisation acts for one enterprise only: when both have one, the duplicate's users
    # join the survivor's organisation (the empty one is removed with the leftovers); otherwise
    # the duplicate's organisation simply moves with the other references.
    orgs = {
        org.enterprise_id: org.id
        for org in db.session.scalars(
            select(Organisation).where(Organisation.enterprise_id.in_([survivor_id, duplicate_id]))
        )
    }
    if len(orgs) == 2:
        db.session.execute(
            update(User)
            .where(User.organisation_id == orgs[duplicate_id])
            .values(organisation_id=orgs[survivor_id])
        )


def _close_clashing_grants(survivor_id: int, duplicate_id: int) -> None:
    # One open request per institution and enterprise: where the survivor has one already, its
    # own decision stands and the duplicate's open request is closed before it moves across.
    survivor_open = select(AccessGrant.institution_id).where(
        AccessGrant.enterprise_id == survivor_id,
        AccessGrant.state.in_([GrantState.PENDING, GrantState.GRANTED]),
    )
    db.session.execute(
        update(AccessGrant)
        .where(
            AccessGrant.enterprise_id == duplicate_id,
            AccessGrant.state.in_([GrantState.PENDING, GrantState.GRANTED]),
            AccessGrant.institution_id.in_(survivor_open.scalar_subquery()),
        )
        .values(state=GrantState.REVOKED, revoked_at=utcnow())
    )


def _enterprise_references() -> list[tuple[Table, Column]]:
    """Every column of every table that refers to enterprise.id (children before parents)."""
    enterprise_table = Enterprise.__table__
    return [
        (table, fk.parent)
        for table in reversed(db.metadata.sorted_tables)
        for fk in table.foreign_keys
        if fk.references(enterprise_table)
    ]


def _unique_partners(table: Table, column: Column) -> list[list[Column]]:
    """For each unique key of `table` that includes `column`, the key's other columns."""
    keys = [
        list(constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
    ]
    keys += [list(index.columns) for index in table.indexes if index.unique]
    return [[c for c in key if c is not column] for key in keys if column in key]


def _move_rows(table: Table, column: Column, duplicate_id: int, survivor_id: int) -> None:
    """Point the duplicate's rows at the survivor, except where a unique key would clash;
    those leftovers (the survivor has its own) are deleted."""
    moving = update(table).where(column == duplicate_id)
    for partners in _unique_partners(table, column):
        twin = table.alias()
        moving = moving.where(
            ~exists().where(
                twin.c[column.name] == survivor_id,
                *(twin.c[p.name] == p for p in partners),
            )
        )
    db.session.execute(moving.values({column.name: survivor_id}))
    db.session.execute(delete(table).where(column == duplicate_id))


def _resolve_pair_flags(user: User, survivor_id: int) -> None:
    # Other open flags between the two enterprises now point at the survivor twice.
    db.session.execute(
        update(DuplicateFlag)
        .where(
            DuplicateFlag.enterprise_id == survivor_id,
            DuplicateFlag.candidate_id == survivor_id,
            DuplicateFlag.status == FlagStatus.OPEN,
        )
        .values(status=FlagStatus.MERGED, decided_by_id=user.id, decided_at=utcnow())
    )
