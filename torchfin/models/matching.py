"""Matches between projects and mandates, bulk rescoring runs, and institutions' deal pipelines."""

from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enums import BatchStatus, DealEventKind, MatchStatus
from torchfin.models.institution import Institution, Mandate
from torchfin.models.project import Project


class Match(Timestamped, Base):
    """A scored project x mandate pair, with its explanation and the investor's response."""

    __tablename__ = "match"
    __table_args__ = (
        UniqueConstraint("project_id", "mandate_id"),
        Index("ix_match_mandate_status", "mandate_id", "status"),
        # Each side's matches best first, ties to the lower id: the incremental path reads a
        # counterpart's k-th best by walking k entries of these.
        Index("ix_match_mandate_rank", "mandate_id", text("score DESC"), "project_id"),
        Index("ix_match_project_rank", "project_id", text("score DESC"), "mandate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandate.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    # criterion -> {points, max, tier, evidence_zh, evidence_en}
    breakdown: Mapped[dict] = mapped_column(JSON)
    algorithm_version: Mapped[str] = mapped_column(String(20))
    scored_on: Mapped[date]
    status: Mapped[MatchStatus] = enum_column(MatchStatus, 12, default=MatchStatus.SUGGESTED)
    # material_fingerprint of the project when last scored, and when declined.
    fingerprint: Mapped[str] = mapped_column(String(32))
    declined_fingerprint: Mapped[str | None] = mapped_column(String(32))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    viewed_at: Mapped[datetime | None]
    viewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    responded_at: Mapped[datetime | None]  # interested or declined

    project: Mapped[Project] = relationship()
    mandate: Mapped[Mandate] = relationship()
    viewed_by: Mapped[User | None] = relationship()


class MatchRun(Base):
    """A bulk rescore (`flask match rescore`): its chunks, progress and outcome."""

    __tablename__ = "match_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[BatchStatus] = enum_column(BatchStatus, 10, default=BatchStatus.QUEUED)
    algorithm_version: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]
    top_k: Mapped[int]
    total_chunks: Mapped[int] = mapped_column(default=0)
    stored: Mapped[int | None]  # pairs kept and stored, once done
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    chunks: Mapped[list["MatchRunChunk"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="MatchRunChunk.id"
    )


class MatchRunChunk(Base):
    """One job of a run. Scoring chunks ("project" side): a block of projects against all
    mandates; once done, `pairs` holds {"own": the projects' best [project_id, mandate_id],
    "candidates": the mandates' best [project_id, mandate_id, score] among these projects}.
    Store chunks ("store"): `pairs`, a slice of the union of those pairs to store."""

    __tablename__ = "match_run_chunk"
    __table_args__ = (UniqueConstraint("run_id", "side", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(8))  # "project" or "store"
    number: Mapped[int]
    record_ids: Mapped[list[int]] = mapped_column(JSON)
    pairs: Mapped[list | dict | None] = mapped_column(JSON)
    done_at: Mapped[datetime | None]

    run: Mapped[MatchRun] = relationship(back_populates="chunks")


class PipelineStage(Base):
    """A column of an institution's deal pipeline; renameable and reorderable, keyed for rules."""

    __tablename__ = "pipeline_stage"
    __table_args__ = (UniqueConstraint("institution_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    closed: Mapped[bool] = mapped_column(default=False)  # closed won / lost: no move out


class Deal(Timestamped, Base):
    """A match the investor is interested in, moving through the institution's pipeline."""

    __tablename__ = "deal"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), unique=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("pipeline_stage.id", ondelete="RESTRICT"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    next_action: Mapped[str | None] = mapped_column(String(200))
    next_action_on: Mapped[date | None]

    match: Mapped[Match] = relationship()
    institution: Mapped[Institution] = relationship()
    stage: Mapped[PipelineStage] = relationship()
    owner: Mapped[User | None] = relationship()
    events: Mapped[list["DealEvent"]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealEvent.id"
    )


class DealEvent(Base):
    """One thing that happened to a deal (append-only)."""

    __tablename__ = "deal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DealEventKind] = enum_column(DealEventKind, 12)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    from_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("pipeline_stage.id", ondelete="SET NULL")
    )
    to_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("pipeline_stage.id", ondelete="SET NULL")
    )
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    from_stage: Mapped[PipelineStage | None] = relationship(foreign_keys=[from_stage_id])
    to_stage: Mapped[PipelineStage | None] = relationship(foreign_keys=[to_stage_id])
