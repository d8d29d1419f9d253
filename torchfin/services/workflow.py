"""State machines declared as data: which action may start from which states, for which role."""

from dataclasses import dataclass
from enum import StrEnum

from torchfin.models.enums import PaymentPurpose, Role
from torchfin.services.errors import Conflict, Forbidden, Invalid


@dataclass(frozen=True)
class Move:
    """An action: the states it starts from, where it leads, who takes it and what it needs.

    A move with a `payment` reaches `target` only when a worker has carried the payment out.
    """

    sources: frozenset[StrEnum]
    target: StrEnum
    role: Role
    required: tuple[str, ...] = ()
    payment: PaymentPurpose | None = None


def allowed_actions(moves: dict[str, Move], state: StrEnum, role: Role | None = None) -> list[str]:
    """The actions that may start from `state` (for `role`, when given), in declaration order."""
    return [
        name
        for name, move in moves.items()
        if state in move.sources and (role is None or move.role == role)
    ]


def check_move(
    moves: dict[str, Move], action: str, state: StrEnum, role: Role, what: str, data: dict
) -> Move:
    """The move for `action`, or its refusal: 403 wrong role, 409 wrong state, 422 input."""
    move = moves.get(action)
    if move is None:
        raise Invalid(f"unknown action {action}", {"action": [f"Unknown action: {action}."]})
    if role != move.role:
        raise Forbidden(f"only a {move.role} user may {action} a {what}")
    if state not in move.sources:
        allowed = allowed_actions(moves, state)
        raise Conflict(
            f"cannot {action} a {what} that is {state}; "
            f"allowed from {state}: {', '.join(allowed) or 'nothing (final state)'}"
        )
    missing = {name: ["Required for this action."] for name in move.required if not data.get(name)}
    if missing:
        raise Invalid(f"{action} needs {', '.join(missing)}", missing)
    return move
