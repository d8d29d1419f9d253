"""State machines declared as data: which action may start from which states, for which role.

Every life cycle with named actions (guarantee cases, pool claims, projects, match responses,
access requests, duplicate flags) is a table of `Move`s: services take an action through
`check_move`, pages ask the service which actions a user may take now (it answers with
`allowed_actions`) instead of reading the table, and a refused move is one `refusal`, worded the
same everywhere.
"""

from dataclasses import dataclass
from enum import StrEnum

from torchfin.models.enums import PaymentPurpose, Role
from torchfin.services.errors import Conflict, Forbidden, Invalid


@dataclass(frozen=True)
class Move:
    """An action: the states it starts from, where it leads, who takes it and what it needs.

    `role` is the one role that takes the move, or a frozenset of roles any of which may.
    A move with a `payment` reaches `target` only when a worker has carried the payment out.
    """

    sources: frozenset[StrEnum]
    target: StrEnum
    role: Role | frozenset[Role]
    required: tuple[str, ...] = ()
    payment: PaymentPurpose | None = None

    def taken_by(self, role: Role) -> bool:
        """True when a user in `role` may take the move."""
        if isinstance(self.role, frozenset):
            return role in self.role
        return role == self.role


def _a(noun: str) -> str:
    # The indefinite article the noun takes in the messages ("an access request", "a claim").
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def allowed_actions(moves: dict[str, Move], state: StrEnum, role: Role | None = None) -> list[str]:
    """The actions that may start from `state` (for `role`, when given), in declaration order."""
    return [
        name
        for name, move in moves.items()
        if state in move.sources and (role is None or move.taken_by(role))
    ]


def refusal(action: str, what: str, state: str, allowed: list[str]) -> Conflict:
    """The 409 for `action` on `what` in `state`, naming the state and the actions it allows.

    For life cycles whose states are not a `Move` table (a deal's stages are the institution's
    own rows); `check_move` words its refusals with it too.
    """
    return Conflict(
        f"cannot {action} {_a(what)} that is {state}; "
        f"allowed now: {', '.join(allowed) or 'nothing (final state)'}"
    )


def check_move(
    moves: dict[str, Move], action: str, state: StrEnum, role: Role, what: str, data: dict
) -> Move:
    """The move for `action`, or its refusal: 403 wrong role, 409 wrong state, 422 input."""
    move = moves.get(action)
    if move is None:
        raise Invalid(f"unknown action {action}", {"action": [f"Unknown action: {action}."]})
    if not move.taken_by(role):
        roles = sorted(move.role) if isinstance(move.role, frozenset) else [move.role]
        who = " or ".join(filter(None, [", ".join(roles[:-1]), roles[-1]]))
        raise Forbidden(f"only {_a(who)} user may {action} {_a(what)}")
    if state not in move.sources:
        raise refusal(action, what, state, allowed_actions(moves, state))
    missing = {name: ["Required for this action."] for name in move.required if not data.get(name)}
    if missing:
        raise Invalid(f"{action} needs {', '.join(missing)}", missing)
    return move
