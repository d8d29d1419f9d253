"""The payment-gateway interface: what every processor (real or sandbox) offers and may raise."""

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from torchfin.services.errors import Conflict, Invalid, Unavailable


@dataclass(frozen=True)
class PaymentRequest:
    """What to pay: a purpose, an amount in yuan, and the payer's and payee's accounts."""

    purpose: str
    amount: Decimal
    payer: str
    payee: str

    def fingerprint(self) -> str:
        """A digest of the request, to tell a replay from a different request under the same key."""
        content = [self.purpose, f"{self.amount:.2f}", self.payer, self.payee]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()


@dataclass(frozen=True)
class PaymentResult:
    """The processor's answer to a payment it carried out."""

    reference: str
    amount: Decimal


class PaymentDeclined(Exception):
    """The processor refused the payment for good (a retry with the same key is refused again)."""


class GatewayTimeout(Unavailable):
    """The processor did not answer in time; the call may be retried with the same key."""


class IdempotencyKeyReused(Invalid):
    """The key was already used for a different request."""


class DuplicateInFlight(Conflict):
    """A call with the same key is being processed right now."""


class PaymentGateway(ABC):
    """A payment processor. Every call carries an idempotency key.

    The same key with the same request returns the same result (or the same refusal); the same
    key with another request raises IdempotencyKeyReused; a call while another with the same key
    is in flight raises DuplicateInFlight.
    """

    @abstractmethod
    def pay(self, key: str, request: PaymentRequest) -> PaymentResult:
        """Carry out the payment once, whatever the number of calls with `key`."""

    @abstractmethod
    def confirm(self, key: str) -> None:
        """Tell the processor the payment is booked on our side (its reconciliation)."""
