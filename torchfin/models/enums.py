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
