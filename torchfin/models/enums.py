"""Closed vocabularies of the domain, stored as short strings."""

from enum import StrEnum


class Role(StrEnum):
    """What a user does on the platform; decides what they may read and change."""

    SME = "sme"
    INVESTOR = "investor"
    FUND_MANAGER = "fund_manager"
    BANK = "bank"
    GUARANTOR = "guarantor"
    ZONE_ADMIN = "zone_admin"
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    """What kind of body an organisation is."""

    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"
    ZONE = "zone"
    PLATFORM = "platform"


class LegalForm(StrEnum):
    """Legal form of an enterprise."""

    LLC = "llc"  # 有限责任公司
    JSC = "jsc"  # 股份有限公司


class Qualification(StrEnum):
    """Qualifications an enterprise can hold."""

    HIGH_TECH = "high_tech"  # 高新技术企业
    TECH_SME = "tech_sme"  # 科技型中小企业
    INCUBATOR = "incubator"  # 孵化器在孵企业
    ACCELERATOR = "accelerator"  # 加速器企业
    RETURNEE = "returnee"  # 留学人员创业企业


class Instrument(StrEnum):
    """How a project wants to be financed."""

    EQUITY = "equity"
    BANK_LOAN = "bank_loan"
    GUARANTEED_LOAN = "guaranteed_loan"
    IP_PLEDGE_LOAN = "ip_pledge_loan"
    CONVERTIBLE = "convertible"
    LEASING = "leasing"


class Stage(StrEnum):
    """Financing round of a project."""

    SEED = "seed"
    ANGEL = "angel"
    A = "a"
    B = "b"
    C_PLUS = "c_plus"
    PRE_IPO = "pre_ipo"


class ProjectStatus(StrEnum):
    """Life cycle of a financing project."""

    DRAFT = "draft"
    PUBLISHED = "published"
    IN_TALKS = "in_talks"
    FUNDED = "funded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class InstitutionKind(StrEnum):
    """Kinds of financial institution."""

    GUIDANCE_FUND = "guidance_fund"
    VC = "vc"
    ANGEL = "angel"
    BANK = "bank"
    GUARANTOR = "guarantor"
    SECURITIES = "securities"
    INSURER = "insurer"


class OutboxOp(StrEnum):
    """What the search projection must do with a record."""

    UPSERT = "upsert"
    DELETE = "delete"


class GovernanceBody(StrEnum):
    """Organs of a joint-stock company whose meetings are recorded (三会)."""

    SHAREHOLDERS_MEETING = "shareholders_meeting"  # 股东大会
    BOARD = "board"  # 董事会
    SUPERVISORY_BOARD = "supervisory_board"  # 监事会


class RuleStatus(StrEnum):
    """Result of one OTC-readiness rule; missing data gives UNKNOWN, never PASS."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class ReadinessOutcome(StrEnum):
    """Overall result of a readiness check: any fail, else any unknown, else ready."""

    READY = "ready"
    NOT_READY = "not_ready"
    INCOMPLETE = "incomplete"


class BatchStatus(StrEnum):
    """Life cycle of a background batch run."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class FundRuleStatus(StrEnum):
    """Compliance of a sub-fund with one of its rules."""

    MET = "met"
    PENDING = "pending"  # below target while the investment period still runs
    BREACHED = "breached"


class ListingVenue(StrEnum):
    """Where an enterprise listed, or that it merged (上市、挂牌、并购)."""

    NEEQ = "neeq"  # 新三板挂牌
    MAIN_BOARD = "main_board"  # 主板
    SME_BOARD = "sme_board"  # 中小板
    CHINEXT = "chinext"  # 创业板
    MERGER = "merger"  # 并购


class ListingStage(StrEnum):
    """How far an enterprise's listing on a venue has gone, in order.

    申报受理, 审核通过/注册, 上市/挂牌.

    A merger is recorded at LISTED once completed: its reward, like a listing's, follows the deal
    that took place, and one "it happened" stage keeps a single ordering for every venue.
    """

    FILED = "filed"  # 申报受理
    APPROVED = "approved"  # 审核通过/注册
    LISTED = "listed"  # 上市/挂牌（并购：完成）

    def reached(self, wanted: "ListingStage") -> bool:
        """Whether an event at this stage shows `wanted` was reached (a later stage does)."""
        order = list(ListingStage)
        return order.index(self) >= order.index(wanted)


class GuaranteeState(StrEnum):
    """Where a credit-guarantee case (信贷担保) stands.

    申请 受理 尽调 风控 评审会 签约 放款 保后 解保, or 逾期 代偿 追偿 核销.
    """

    APPLIED = "applied"
    ACCEPTED = "accepted"
    DUE_DILIGENCE = "due_diligence"
    RISK_REVIEW = "risk_review"
    COMMITTEE_REVIEW = "committee_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    CONTRACT_SIGNED = "contract_signed"
    FEE_COLLECTED = "fee_collected"
    DISBURSED = "disbursed"
    MONITORING = "monitoring"
    RELEASED = "released"
    OVERDUE = "overdue"
    COMPENSATED = "compensated"
    RECOVERING = "recovering"
    WRITTEN_OFF = "written_off"
    CLOSED = "closed"


class PaymentPurpose(StrEnum):
    """Why money moves; also the kind of the ledger transaction that records it."""

    GUARANTEE_FEE = "guarantee_fee"
    DISBURSEMENT = "disbursement"
    COMPENSATION = "compensation"
    GUARANTEE_RECOVERY = "guarantee_recovery"
    POOL_DEPOSIT = "pool_deposit"
    POOL_PAYOUT = "pool_payout"
    POOL_RECOVERY = "pool_recovery"
    POLICY_PAYOUT = "policy_payout"


class PaymentState(StrEnum):
    """Life cycle of a payment order sent through the gateway."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PoolLoanState(StrEnum):
    """A loan registered into a risk-compensation pool."""

    ACTIVE = "active"
    REPAID = "repaid"
    DEFAULTED = "defaulted"


class PoolBatchKind(StrEnum):
    """What a pool batch does to each of its rows."""

    REPAYMENTS = "repayments"  # a bank's month-end repayment file
    CLAIM_APPROVALS = "claim_approvals"  # the sponsor approving several claims at once


class BatchRowStatus(StrEnum):
    """Where one row of a pool batch stands; every row ends applied, duplicate or error."""

    PENDING = "pending"
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # its effect was already made (re-uploaded file, approved claim)
    ERROR = "error"


class ClaimState(StrEnum):
    """A compensation claim on a risk-compensation pool."""

    FILED = "filed"
    REVIEWING = "reviewing"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


class GrantState(StrEnum):
    """An institution's access to an enterprise's confidential financials."""

    PENDING = "pending"  # requested by the institution, awaiting the enterprise
    GRANTED = "granted"
    DENIED = "denied"
    REVOKED = "revoked"


class AccessEvent(StrEnum):
    """What an access-log entry records: a grant decision or a read of confidential data."""

    REQUESTED = "requested"
    GRANTED = "granted"
    DENIED = "denied"
    REVOKED = "revoked"
    READ = "read"


class ReadChannel(StrEnum):
    """Where confidential data was read."""

    PAGE = "page"
    API = "api"
    EXPORT = "export"


class FlagStatus(StrEnum):
    """A suspected duplicate enterprise, as an admin resolved it."""

    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


class MatchStatus(StrEnum):
    """Where a project-mandate match stands with the investor (docs/matching.md)."""

    SUGGESTED = "suggested"
    VIEWED = "viewed"
    INTERESTED = "interested"
    DECLINED = "declined"
    INTRODUCED = "introduced"


class DealEventKind(StrEnum):
    """What happened to a deal; every event is kept (the deal's history)."""

    OPENED = "opened"
    MOVED = "moved"
    NOTE = "note"  # internal to the institution
    MESSAGE = "message"  # shared with the enterprise
    OWNER = "owner"
    NEXT_ACTION = "next_action"
    REMINDER = "reminder"  # an answer is late; the late side was reminded
    DOCUMENT = "document"  # the enterprise shared a document in the deal's data room


class DocumentKind(StrEnum):
    """What a data-room document may be; the extension and the file's own bytes must agree."""

    PDF = "pdf"
    XLSX = "xlsx"
    DOCX = "docx"


class PolicyKind(StrEnum):
    """The tech-finance policies a zone runs (科技金融政策)."""

    INTEREST_SUBSIDY = "interest_subsidy"  # 贷款贴息
    GUARANTEE_FEE_SUBSIDY = "guarantee_fee_subsidy"  # 担保费补贴
    LISTING_REWARD = "listing_reward"  # 上市/挂牌奖励
    MERGER_REWARD = "merger_reward"  # 并购奖励
    VC_RISK_SUBSIDY = "vc_risk_subsidy"  # 创业投资风险补助
    IP_PLEDGE_INTEREST_SUBSIDY = "ip_pledge_interest_subsidy"  # 知识产权质押融资贴息


class ApplicationState(StrEnum):
    """Where an enterprise's application under a policy stands."""

    APPLIED = "applied"
    REVIEWING = "reviewing"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
