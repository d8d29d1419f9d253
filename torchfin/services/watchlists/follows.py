"""Following and unfollowing enterprises, one at a time or from an uploaded list of credit
codes, and what a follower's watchlist shows."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select

from schemas.credit_code import find_problems
from torchfin.extensions import db
from torchfin.models import Enterprise, EnterpriseEvent, Follow, FollowDelivery, User
from torchfin.models.enums import Role
from torchfin.services.errors import Forbidden, Invalid, NotFound
from torchfin.services.registry.enterprises import referenced_enterprise
from torchfin.services.uploaded_tables import Unreadable, read_table

# Who finances enterprises and so follows them: what the issue asks (investors and guidance-fund
# managers) and banks, which search and save searches for the same reason.
FOLLOWER_ROLES = frozenset({Role.INVESTOR, Role.FUND_MANAGER, Role.BANK})
MAX_FOLLOWS = 2_000
MAX_CODE_LINES = 5_000
MAX_CODE_FILE_BYTES = 1024 * 1024
RECENT_EVENTS = 5  # events shown per followed enterprise
# A first line naming the column rather than holding a code.
CODE_HEADERS = {"统一社会信用代码", "信用代码", "credit code", "credit_code", "code"}


def may_follow(user: User) -> bool:
    """True for the roles that follow enterprises (the pages offer the button to them only)."""
    return user.role in FOLLOWER_ROLES


def require_follower(user: User) -> None:
    """Refuse anyone whose role does not follow enterprises."""
    if not may_follow(user):
        raise Forbidden("only investors, fund managers and banks follow enterprises")


def user_follows(user: User) -> Select:
    """The caller's follows, newest first."""
    require_follower(user)
    return (
        select(Follow)
        .where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    )


def follows_of(user: User) -> list[Follow]:
    """The caller's follows as a list (for the pages)."""
    return list(db.session.scalars(user_follows(user)))


def followed_ids(user: User) -> set[int]:
    """Ids of the enterprises the caller follows (to show 已关注 on the pages); none for others."""
    if not may_follow(user):
        return set()
    return set(db.session.scalars(select(Follow.enterprise_id).where(Follow.user_id == user.id)))


def _follow(user: User, enterprise: Enterprise, delivery: FollowDelivery) -> tuple[Follow, bool]:
    # In the caller's transaction; True when the follow is new. Following again only changes
    # the delivery, so every way of following (button, API, list) can be repeated safely.
    existing = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.enterprise_id == enterprise.id)
    )
    if existing is not None:
        existing.delivery = delivery
        return existing, False
    follow = Follow(user_id=user.id, enterprise_id=enterprise.id, delivery=delivery)
    db.session.add(follow)
    return follow, True


def _count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Follow).where(Follow.user_id == user.id)
    )


def follow_enterprise(user: User, data: dict) -> Follow:
    """Follow the enterprise `data` names (enterprise_id or credit_code) with its `delivery`;
    following it again changes only the delivery. Events from now on reach the caller."""
    require_follower(user)
    enterprise = referenced_enterprise(dict(data))
    if _count(user) >= MAX_FOLLOWS:
        raise Invalid(
            "too many follows",
            {"enterprise_id": [f"You can follow at most {MAX_FOLLOWS} enterprises."]},
        )
    follow, _ = _follow(user, enterprise, data.get("delivery", FollowDelivery.INSTANT))
    db.session.commit()
    return follow


def unfollow(user: User, enterprise_id: int) -> None:
    """Stop following an enterprise (its past notifications stay readable)."""
    require_follower(user)
    follow = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.enterprise_id == enterprise_id)
    )
    if follow is None:
        raise NotFound(f"you do not follow enterprise {enterprise_id}")
    db.session.delete(follow)
    db.session.commit()


def recent_events(enterprise_ids: list[int], per: int = RECENT_EVENTS) -> dict[int, list]:
    """The latest `per` events of each enterprise, newest first, by enterprise id."""
    if not enterprise_ids:
        return {}
    ranked = (
        select(
            EnterpriseEvent.id,
            func.row_number()
            .over(
                partition_by=EnterpriseEvent.enterprise_id,
                order_by=(EnterpriseEvent.occurred_at.desc(), EnterpriseEvent.id.desc()),
            )
            .label("rank"),
        )
        .where(EnterpriseEvent.enterprise_id.in_(enterprise_ids))
        .subquery()
    )
    events = db.session.scalars(
        select(EnterpriseEvent)
        .join(ranked, ranked.c.id == EnterpriseEvent.id)
        .where(ranked.c.rank <= per)
        .order_by(EnterpriseEvent.occurred_at.desc(), EnterpriseEvent.id.desc())
    )
    by_enterprise: dict[int, list] = defaultdict(list)
    for event in events:
        by_enterprise[event.enterprise_id].append(event)
    return by_enterprise


@dataclass(frozen=True)
class WatchedEnterprise:
    """A followed enterprise as the watchlist shows it, with its latest events."""

    enterprise: Enterprise
    delivery: FollowDelivery
    followed_at: datetime
    events: list[EnterpriseEvent]


def with_recent_events(follows: list[Follow]) -> list[WatchedEnterprise]:
    """The follows as watchlist entries, each with its enterprise's latest events."""
    events = recent_events([f.enterprise_id for f in follows])
    return [
        WatchedEnterprise(f.enterprise, f.delivery, f.created_at, events.get(f.enterprise_id, []))
        for f in follows
    ]


@dataclass(frozen=True)
class CodeLineProblem:
    """A line of an uploaded code list that was not followed, and why (Chinese / English)."""

    line: int
    code: str
    message: str


@dataclass
class CodeListResult:
    """What following a list of codes did: new follows, ones already followed, bad lines."""

    followed: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    problems: list[CodeLineProblem] = field(default_factory=list)


def fold_code(cell: object) -> str:
    """A cell as a credit code: full-width letters and digits folded (NFKC), spaces dropped,
    upper case."""
    text = unicodedata.normalize("NFKC", "" if cell is None else str(cell))
    return "".join(text.split()).upper()


def _code_lines(filename: str, content: bytes) -> list[tuple[int, str]]:
    # (line number, code) of every line with something in its first cell.
    table = read_table(filename, content, MAX_CODE_FILE_BYTES)
    lines = [
        (number, fold_code(row[0] if row else None))
        for number, row in enumerate(table.rows, start=1)
    ]
    lines = [(number, code) for number, code in lines if code]
    if lines and lines[0][1] in {fold_code(header) for header in CODE_HEADERS}:
        lines = lines[1:]
    if not lines:
        raise Unreadable("文件中没有信用代码", "The file holds no credit codes.")
    if len(lines) > MAX_CODE_LINES:
        raise Unreadable(f"超过 {MAX_CODE_LINES} 行", f"More than {MAX_CODE_LINES:,} lines.")
    return lines


def _line_problem(code: str) -> str | None:
    problems = find_problems(code)
    if problems:
        return f"信用代码无效 / Invalid credit code: {problems[0].check}: {problems[0].message}"
    return None


def follow_code_list(
    user: User, filename: str, content: bytes, delivery: FollowDelivery
) -> CodeListResult:
    """Follow every enterprise an uploaded list names (one credit code per line of a CSV, text
    or XLSX file; the first column counts), in one transaction.

    Bad lines (an invalid code, no enterprise with that code) are reported with their line
    number and do not stop the good ones; codes already followed are counted, not doubled, so
    the same file twice changes nothing the second time. A file that cannot be read is a 422.
    """
    require_follower(user)
    lines = _code_lines(filename, content)
    result = CodeListResult()
    valid: dict[str, int] = {}
    for number, code in lines:
        problem = _line_problem(code)
        if problem:
            result.problems.append(CodeLineProblem(number, code, problem))
        else:
            valid.setdefault(code, number)
    enterprises = {
        e.credit_code: e
        for e in db.session.scalars(
            select(Enterprise).where(Enterprise.credit_code.in_(list(valid)))
        )
    }
    room = MAX_FOLLOWS - _count(user)
    for code, number in valid.items():
        enterprise = enterprises.get(code)
        if enterprise is None:
            message = "平台上没有此信用代码的企业 / No enterprise on the platform has this code."
            result.problems.append(CodeLineProblem(number, code, message))
            continue
        if room <= 0 and enterprise.id not in followed_ids(user):
            message = f"已达关注上限 {MAX_FOLLOWS} / You already follow {MAX_FOLLOWS} enterprises."
            result.problems.append(CodeLineProblem(number, code, message))
            continue
        _, new = _follow(user, enterprise, delivery)
        if new:
            room -= 1
        (result.followed if new else result.already).append(enterprise.id)
    result.problems.sort(key=lambda p: p.line)
    db.session.commit()
    return result
