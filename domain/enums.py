"""The vocabulary of the seed documents, shared by tables, rules and the GraphQL schema."""

from __future__ import annotations

from enum import Enum


class CreditAction(Enum):
    """TOTECS "On Hold / Out Of Terms / Out Of Credit Action"."""

    NO_ACTION = "NO_ACTION"
    BLOCK = "BLOCK"
    WARN = "WARN"
    WARN_CREDIT_CARD_ONLY = "WARN_CREDIT_CARD_ONLY"


class PaymentType(Enum):
    """TOTECS "Customer Account Payment Types"; `code` is the import code."""

    ON_ACCOUNT = "ON_ACCOUNT"
    CREDIT_CARD = "CREDIT_CARD"
    PAYPAL = "PAYPAL"
    DIRECT_DEPOSIT = "DIRECT_DEPOSIT"
    RUNNING_QUOTE = "RUNNING_QUOTE"

    @property
    def code(self) -> str:
        return _PAYMENT_TYPE_CODES[self]

    @classmethod
    def from_code(cls, code: str) -> PaymentType:
        for payment_type, known in _PAYMENT_TYPE_CODES.items():
            if known == code.strip().upper():
                return payment_type
        raise ValueError(f"unknown payment type code {code!r}")


_PAYMENT_TYPE_CODES = {
    PaymentType.ON_ACCOUNT: "AC",
    PaymentType.CREDIT_CARD: "CC",
    PaymentType.PAYPAL: "PP",
    PaymentType.DIRECT_DEPOSIT: "DD",
    PaymentType.RUNNING_QUOTE: "RQ",
}


class PaymentTermsKind(Enum):
    """TOTECS "Payment Terms"."""

    NOT_SPECIFIED = "NOT_SPECIFIED"
    GIVEN_NUMBER_OF_DAYS = "GIVEN_NUMBER_OF_DAYS"
    DAY_OF_THE_MONTH = "DAY_OF_THE_MONTH"
    DAYS_AFTER_END_OF_MONTH = "DAYS_AFTER_END_OF_MONTH"
    DAY_OF_THE_MONTH_AFTER_THE_MONTH = "DAY_OF_THE_MONTH_AFTER_THE_MONTH"
    CASH_ON_DELIVERY = "CASH_ON_DELIVERY"


class RecordSource(Enum):
    """Who created a record: the ERP (data of record) or the web platform."""

    ERP = "ERP"
    WEB = "WEB"


class MembershipRole(Enum):
    """PointForce CM10: a contact is a shopper, an approver or an administrator of an account."""

    SHOPPER = "SHOPPER"
    APPROVER = "APPROVER"
    ADMINISTRATOR = "ADMINISTRATOR"


class WorkerRole(Enum):
    ADMIN = "ADMIN"
    CUSTOMER_SERVICE = "CUSTOMER_SERVICE"
    SALES_REP = "SALES_REP"


class AddressKind(Enum):
    BILLING = "BILLING"
    SHIPPING = "SHIPPING"


class ApiKeyScope(Enum):
    READ = "read"
    SYNC = "sync"


class CartStatus(Enum):
    """OPEN carts are edited by their shopper; PENDING_APPROVAL carts wait for an approver
    (CM10 "Approve Carts"); CHECKED_OUT carts became an order and are closed."""

    OPEN = "OPEN"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    CHECKED_OUT = "CHECKED_OUT"


class CartEventKind(Enum):
    """The state changes of a cart that `Cart.history` records."""

    CREATED = "CREATED"
    SUBMITTED_FOR_APPROVAL = "SUBMITTED_FOR_APPROVAL"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CHECKED_OUT = "CHECKED_OUT"


class OrderStatus(Enum):
    """PLACED orders go to the ERP as they are; ON_HOLD ones wait for a manual release there
    (CM10 "Hold Orders Created")."""

    PLACED = "PLACED"
    ON_HOLD = "ON_HOLD"


class ExportKind(Enum):
    """What an ERP export carries: an order, a web account (new or edited) travelling with
    its next order (seed 000), an invoice payment (seeds 002/003), or a quote as it stands
    after one of its steps (seed 003 "Running Quote": the business system holds quotes)."""

    ACCOUNT = "ACCOUNT"
    ORDER = "ORDER"
    PAYMENT = "PAYMENT"
    QUOTE = "QUOTE"


class QuoteStatus(Enum):
    """A quote's stored state (commercetools QuoteRequest -> StagedQuote -> Quote, BigCommerce's
    quote flow): REQUESTED by the buyer, SENT when the seller priced it, then the buyer's answer
    ACCEPTED, REJECTED or RENEGOTIATION (asks again, the seller re-prices and sends), ORDERED
    once converted, WITHDRAWN by either side before that. EXPIRED is never stored: a SENT or
    ACCEPTED quote past its expiry date reads as EXPIRED (`domain.quotes.current_state`)."""

    REQUESTED = "REQUESTED"
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    RENEGOTIATION = "RENEGOTIATION"
    ORDERED = "ORDERED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


class QuoteAction(Enum):
    """The steps `Quote.history` records, each taken by the buyer's or the seller's side."""

    REQUEST = "REQUEST"
    PRICE = "PRICE"
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    RENEGOTIATE = "RENEGOTIATE"
    WITHDRAW = "WITHDRAW"
    ORDER = "ORDER"


class SurchargeKind(Enum):
    """How a location's surcharge is worked out (seed 003 "Customer Account Locations")."""

    NONE = "NONE"
    PERCENT = "PERCENT"
    FIXED = "FIXED"
