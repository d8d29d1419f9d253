"""The state-machine building block every life cycle uses: moves for one role or any of several,
and refusals worded the same for every record."""

import pytest

from torchfin.models.enums import GrantState, MatchStatus, Role
from torchfin.services.errors import Conflict, Forbidden, Invalid
from torchfin.services.workflow import Move, allowed_actions, check_move, refusal

M = MatchStatus
INSTITUTIONS = frozenset({Role.INVESTOR, Role.BANK})
MOVES = {
    "interest": Move(frozenset({M.SUGGESTED, M.VIEWED}), M.INTERESTED, INSTITUTIONS),
    "decline": Move(frozenset({M.SUGGESTED, M.VIEWED}), M.DECLINED, INSTITUTIONS, ("reason",)),
    "introduce": Move(frozenset({M.INTERESTED}), M.INTRODUCED, Role.SME),
}


def test_a_move_is_taken_by_its_role_or_any_of_its_roles():
    assert MOVES["introduce"].taken_by(Role.SME) and not MOVES["introduce"].taken_by(Role.BANK)
    assert MOVES["interest"].taken_by(Role.BANK) and MOVES["interest"].taken_by(Role.INVESTOR)
    assert not MOVES["interest"].taken_by(Role.SME)


def test_allowed_actions_keep_declaration_order_and_filter_by_role():
    assert allowed_actions(MOVES, M.VIEWED) == ["interest", "decline"]
    assert allowed_actions(MOVES, M.VIEWED, Role.BANK) == ["interest", "decline"]
    assert allowed_actions(MOVES, M.VIEWED, Role.SME) == []
    assert allowed_actions(MOVES, M.INTERESTED, Role.SME) == ["introduce"]
    assert allowed_actions(MOVES, M.DECLINED) == []


def test_check_move_refuses_the_wrong_role_then_the_wrong_state_then_missing_input():
    with pytest.raises(Forbidden, match="only a bank or investor user may interest a match"):
        check_move(MOVES, "interest", M.DECLINED, Role.SME, "match", {})
    with pytest.raises(Forbidden, match="only a sme user may introduce a match"):
        check_move(MOVES, "introduce", M.INTERESTED, Role.BANK, "match", {})
    with pytest.raises(Conflict) as refused:
        check_move(MOVES, "interest", M.INTERESTED, Role.BANK, "match", {})
    assert refused.value.message == (
        "cannot interest a match that is interested; allowed now: introduce"
    )
    with pytest.raises(Invalid) as missing:
        check_move(MOVES, "decline", M.VIEWED, Role.BANK, "match", {"reason": ""})
    assert missing.value.errors == {"reason": ["Required for this action."]}
    assert check_move(MOVES, "decline", M.VIEWED, Role.BANK, "match", {"reason": "早"}).target == (
        M.DECLINED
    )
    with pytest.raises(Invalid):
        check_move(MOVES, "merge", M.VIEWED, Role.BANK, "match", {})


def test_a_refusal_names_the_state_and_what_it_allows_or_that_it_is_final():
    assert refusal("grant", "access request", GrantState.DENIED, []).message == (
        "cannot grant an access request that is denied; allowed now: nothing (final state)"
    )
    refused = refusal("move to meeting", "deal", "in meeting", ["contacted", "closed_won"])
    assert refused.message == (
        "cannot move to meeting a deal that is in meeting; allowed now: contacted, closed_won"
    )
