"""Configuration classes; every setting is read from the environment when the app is created."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-secret-change-me"
DEV_ANCHOR_KEY = "dev-only-anchor-key-change-me"


class Config:
    """Settings shared by every environment, read from the environment at instantiation."""

    def __init__(self) -> None:
        instance = BASE_DIR / "instance"
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'torchfin.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # One node's URL, or every node of a cluster separated by commas: the client spreads
        # requests over them and retries another node when one is lost.
        self.ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
        # Shards and replicas of each new index: one and none on a single node; on a cluster
        # e.g. 3 and 1, so the index spreads over the nodes and survives losing one.
        self.SEARCH_SHARDS = int(os.environ.get("SEARCH_SHARDS", "1"))
        self.SEARCH_REPLICAS = int(os.environ.get("SEARCH_REPLICAS", "0"))
        self.SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "torchfin")
        # Matches a search counts exactly; beyond, the page says "10,000+".
        self.SEARCH_TOTAL_BOUND = int(os.environ.get("SEARCH_TOTAL_BOUND", "10000"))
        # `flask audit anchor` appends the signed chain heads here: keep it off the database's
        # host and backups in production (docs/deployment.md), signed with a key it lacks too.
        self.AUDIT_ANCHOR_FILE = os.environ.get(
            "AUDIT_ANCHOR_FILE", str(instance / "audit-anchors.txt")
        )
        self.AUDIT_ANCHOR_KEY = os.environ.get("AUDIT_ANCHOR_KEY", DEV_ANCHOR_KEY)
        self.REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.RQ_QUEUE_PREFIX = os.environ.get("RQ_QUEUE_PREFIX", "torchfin")
        self.RQ_JOB_TIMEOUT = int(os.environ.get("RQ_JOB_TIMEOUT", "600"))
        self.API_TITLE = "Torchfin API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "/docs"
        self.OPENAPI_SWAGGER_UI_URL = os.environ.get("SWAGGER_UI_URL", "/vendor/swagger-ui/")
        self.API_SPEC_OPTIONS = {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        }
        self.BABEL_DEFAULT_LOCALE = "zh"
        self.BABEL_SUPPORTED_LOCALES = ["zh", "en"]
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "torchfin" / "translations")
        self.API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "24"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_MB", "16")) * 1024 * 1024
        # Matches kept per project and per mandate by the incremental path and `match rescore`.
        self.MATCH_TOP_K = int(os.environ.get("MATCH_TOP_K", "20"))
        # Deal data rooms: files live here under random names; uploads up to this many bytes
        # (the upload routes raise the request limit above MAX_CONTENT_LENGTH to match).
        self.DATA_ROOM_DIR = os.environ.get("DATA_ROOM_DIR", str(instance / "data_room"))
        self.DATA_ROOM_MAX_BYTES = int(os.environ.get("DATA_ROOM_MAX_BYTES", str(20 * 1024 * 1024)))
        # Links in mails (saved-search alerts) are built on this: a worker has no request to ask.
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        # The payment processor of `payments.execution.payment_gateway`; only "sandbox" exists yet.
        self.PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "sandbox")
        # Where npm installed the front-end packages served under /vendor (Swagger UI, ECharts).
        self.NODE_MODULES_DIR = os.environ.get("NODE_MODULES_DIR", str(BASE_DIR / "node_modules"))
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/minute")
        self.SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "120/minute")
        self.WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "60/minute")
        # Scripts only from this origin or inline with this response's nonce ({nonce}, filled in
        # per request by torchfin.security): injected markup cannot run script. Inline styles
        # stay allowed (style attributes cannot carry a nonce and cannot run script).
        self.CONTENT_SECURITY_POLICY = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'nonce-{nonce}'; object-src 'none'; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'"
        )
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # "Remember me" (Flask-Login) is a second sign-in cookie: the same protection.
        self.REMEMBER_COOKIE_NAME = "remember_token"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.WTF_CSRF_TIME_LIMIT = None


class DevelopmentConfig(Config):
    """Local development and `make demo`."""


class TestingConfig(Config):
    """pytest: isolated index prefix and queue prefix so tests never touch demo data."""

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        # The suite signs in and searches far faster than a person; the limit tests lower these.
        self.LOGIN_RATE_LIMIT = self.SEARCH_RATE_LIMIT = self.WRITE_RATE_LIMIT = "100000/minute"


class ProductionConfig(Config):
    """Production: secure cookies and a secret that must be set."""

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = True
        if self.SECRET_KEY == DEV_SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production")
        if self.AUDIT_ANCHOR_KEY == DEV_ANCHOR_KEY:
            raise RuntimeError("AUDIT_ANCHOR_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Return the configuration named by `name` or by TORCHFIN_ENV (default development)."""
    return CONFIGS[name or os.environ.get("TORCHFIN_ENV", "development")]()
