"""The sandbox payment processor: deterministic, kept in Redis, and told to decline or time out.

It keeps what a real processor keeps: one record per idempotency key. Its behaviour lives in Redis
too, so tests, `flask payments sandbox` and every worker process see the same settings.
"""

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from flask import current_app
from redis import Redis

from torchfin.queues import redis_connection
from torchfin.services.finance.payments.gateway import (
    DuplicateInFlight,
    GatewayTimeout,
    IdempotencyKeyReused,
    PaymentDeclined,
    PaymentGateway,
    PaymentRequest,
    PaymentResult,
)


@dataclass(frozen=True)
class SandboxBehaviour:
    """How the sandbox answers: purposes to decline or time out ("*" for all) and delays."""

    decline: frozenset[str] = field(default_factory=frozenset)
    timeout: frozenset[str] = field(default_factory=frozenset)
    delay_before: float = 0.0  # seconds before the call is processed
    delay_after: float = 0.0  # seconds between processing and answering (a slow response)
    delay_confirm: float = 0.0  # seconds a confirmation takes (the platform has booked by then)
    lease: int = 30  # seconds an in-flight marker lives if its caller dies mid-call

    def applies(self, purposes: frozenset[str], purpose: str) -> bool:
        """True when `purposes` names `purpose` or holds "*"."""
        return "*" in purposes or purpose in purposes


class SandboxGateway(PaymentGateway):
    """A deterministic processor: the reference is derived from the key, records live in Redis."""

    def __init__(self, redis: Redis, namespace: str) -> None:
        self.redis = redis
        self.records = f"{namespace}:sandbox-gateway:records"
        self.settings = f"{namespace}:sandbox-gateway:behaviour"
        self.inflight = f"{namespace}:sandbox-gateway:inflight:"

    def configure(self, behaviour: SandboxBehaviour) -> None:
        """Set how the sandbox answers from now on."""
        data = asdict(behaviour)
        data["decline"], data["timeout"] = sorted(behaviour.decline), sorted(behaviour.timeout)
        self.redis.set(self.settings, json.dumps(data))

    def behaviour(self) -> SandboxBehaviour:
        """The current settings (all defaults when none were set)."""
        raw = self.redis.get(self.settings)
        if raw is None:
            return SandboxBehaviour()
        data = json.loads(raw)
        data["decline"], data["timeout"] = frozenset(data["decline"]), frozenset(data["timeout"])
        return SandboxBehaviour(**data)

    def record(self, key: str) -> dict | None:
        """What the sandbox keeps for `key`, or None if it never processed it."""
        raw = self.redis.hget(self.records, key)
        return json.loads(raw) if raw else None

    def processed_keys(self) -> list[str]:
        """Every key the sandbox carried out or declined."""
        return sorted(k.decode() for k in self.redis.hkeys(self.records))

    def pay(self, key: str, request: PaymentRequest) -> PaymentResult:
        """Process once per key; replay the stored outcome for a repeated call."""
        fingerprint = request.fingerprint()
        stored = self.record(key)
        if stored is None:
            stored = self._process(key, request, fingerprint)
        elif stored["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused(
                f"idempotency key {key} was used for a different payment",
                {"idempotency_key": ["Already used for a different payment."]},
            )
        if stored["status"] == "declined":
            raise PaymentDeclined(stored["reason"])
        return PaymentResult(reference=stored["reference"], amount=Decimal(stored["amount"]))

    def _process(self, key: str, request: PaymentRequest, fingerprint: str) -> dict:
        behaviour = self.behaviour()
        marker = self.inflight + key
        if not self.redis.set(marker, fingerprint, nx=True, ex=behaviour.lease):
            raise DuplicateInFlight(f"a payment with idempotency key {key} is in flight")
        try:
            time.sleep(behaviour.delay_before)
            if behaviour.applies(behaviour.timeout, request.purpose):
                raise GatewayTimeout(f"the sandbox timed out on {key}")
            stored = {
                "fingerprint": fingerprint,
                "amount": f"{request.amount:.2f}",
                "purpose": request.purpose,
                "reference": "SBX-" + hashlib.sha256(key.encode()).hexdigest()[:20].upper(),
                "status": "succeeded",
                "confirmed": False,
            }
            if behaviour.applies(behaviour.decline, request.purpose):
                stored |= {"status": "declined", "reason": f"sandbox declines {request.purpose}"}
            # HSETNX: if a caller whose lease ran out is still going, the first record wins.
            self.redis.hsetnx(self.records, key, json.dumps(stored))
        finally:
            self.redis.delete(marker)
        time.sleep(behaviour.delay_after)
        return self.record(key)

    def confirm(self, key: str) -> None:
        """Mark the record of `key` as booked by the platform."""
        time.sleep(self.behaviour().delay_confirm)
        stored = self.record(key)
        if stored is not None and not stored["confirmed"]:
            self.redis.hset(self.records, key, json.dumps(stored | {"confirmed": True}))


def sandbox_gateway() -> SandboxGateway:
    """The sandbox of the current app, namespaced like its queues."""
    return SandboxGateway(redis_connection(), current_app.config["RQ_QUEUE_PREFIX"])
