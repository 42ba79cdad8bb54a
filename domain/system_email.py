"""System e-mails (seed 001 "Email Settings"): editable templates and how they are rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from string import Template

from pydantic import BaseModel, Field, field_validator

from domain.validation import check_email

SYSTEM_EMAILS_SECTION = "system_emails"


class SystemEmail(Enum):
    NEW_ACCOUNT_REQUEST = "new_account_request"
    NEW_ACCOUNT_WELCOME = "new_account_welcome"
    ACCOUNT_VERIFIED = "account_verified"
    CONTACT_CREATED = "contact_created"
    PASSWORD_RESET = "password_reset"
    USERNAME_REMINDER = "username_reminder"
    CART_APPROVAL_REQUESTED = "cart_approval_requested"
    CART_APPROVED = "cart_approved"
    CART_REJECTED = "cart_rejected"
    QUOTE_REQUESTED = "quote_requested"
    QUOTE_SENT = "quote_sent"
    QUOTE_ANSWERED = "quote_answered"
    QUOTE_WITHDRAWN = "quote_withdrawn"


class EmailTemplate(BaseModel):
    """Seed 001 "System Email Settings Edit Page": subject, body, from, cc and bcc. `$name`
    placeholders are replaced by the variables of the event."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20000)
    # At most what the outbox's sender column holds.
    sender: str | None = Field(
        default=None, max_length=254, description="None: the server's MAIL_FROM."
    )
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    is_enabled: bool = True

    @field_validator("cc", "bcc")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values if v.strip()]
        bad = [v for v in cleaned if check_email("address", v)]
        if bad:
            raise ValueError(f"not e-mail addresses: {', '.join(bad)}")
        return cleaned


def _template(subject: str, body: str) -> EmailTemplate:
    return EmailTemplate(subject=subject, body=body)


class SystemEmails(BaseModel):
    """Every system e-mail with its default text, until an administrator edits it."""

    new_account_request: EmailTemplate = _template(
        "We received your request for an account",
        "Hello $contact_name,\n\nThank you for registering $company_name (account $account_number)"
        " with username $username. We will let you know when your account is approved.\n",
    )
    new_account_welcome: EmailTemplate = _template(
        "Welcome to our store",
        "Hello $contact_name,\n\nYour account $account_number for $company_name is ready. "
        "Sign in with username $username.\n",
    )
    account_verified: EmailTemplate = _template(
        "Someone verified your account $account_number",
        "Hello,\n\nA visitor proved ownership of account $account_number ($company_name) and may"
        " now create a login for it. If you do not expect this, please contact us.\n",
    )
    contact_created: EmailTemplate = _template(
        "Your login for $company_name",
        "Hello $contact_name,\n\nA login with username $username was created for account "
        "$account_number.\n",
    )
    password_reset: EmailTemplate = _template(
        "Reset your password",
        "Hello $contact_name,\n\nUse this code to choose a new password for $username: "
        "$reset_token\nIt expires at $expires_at. If you did not ask for it, ignore this e-mail.\n",
    )
    username_reminder: EmailTemplate = _template(
        "Your username",
        "Hello $contact_name,\n\nYour username is $username.\n",
    )
    # CM10 "E-Mail Approver": to the approver when a shopper's cart waits for approval.
    cart_approval_requested: EmailTemplate = _template(
        "$shopper_name's cart $cart_name waits for your approval",
        'Hello $approver_name,\n\n$shopper_name submitted the cart "$cart_name" ($total) of '
        "account $account_number ($company_name) for your approval.\n",
    )
    # Issue #6 "Approvals": the approver's decision, to the shopper.
    cart_approved: EmailTemplate = _template(
        "Your cart $cart_name was approved",
        'Hello $shopper_name,\n\n$approver_name approved your cart "$cart_name"; it is now '
        "order $order_number ($total).\n\n$comment\n",
    )
    cart_rejected: EmailTemplate = _template(
        "Your cart $cart_name was not approved",
        'Hello $shopper_name,\n\n$approver_name returned your cart "$cart_name" to you '
        "without ordering it.\n\nReason: $reason\n",
    )

    # Issue #16 "e-mail to the other side": to the account's sales rep (and the template's cc,
    # e.g. the sales desk) when a buyer requests a quote or asks for it again.
    quote_requested: EmailTemplate = _template(
        "Quote $quote_number requested by $company_name",
        "Hello,\n\n$buyer_name of account $account_number ($company_name) asks for prices on "
        "quote $quote_number ($line_count lines).\n\n$reason\n",
    )
    # To the buyer when the seller priced the quote.
    quote_sent: EmailTemplate = _template(
        "Your quote $quote_number is ready",
        "Hello $buyer_name,\n\nQuote $quote_number for account $account_number comes to "
        "$total and is valid until $expires_on.\n\n$reason\n",
    )
    # To the seller when the buyer accepts, rejects, orders or withdraws the quote.
    quote_answered: EmailTemplate = _template(
        "Quote $quote_number: $status",
        "Hello,\n\n$buyer_name of account $account_number ($company_name) took the step "
        "$action on quote $quote_number ($total); it is now $status.\n\n$reason\n",
    )
    # To the buyer when the seller withdraws the quote.
    quote_withdrawn: EmailTemplate = _template(
        "Quote $quote_number was withdrawn",
        "Hello $buyer_name,\n\nQuote $quote_number for account $account_number was withdrawn "
        "and can no longer be ordered.\n\n$reason\n",
    )

    def template(self, key: SystemEmail) -> EmailTemplate:
        template: EmailTemplate = getattr(self, key.value)
        return template


@dataclass(frozen=True)
class RenderedEmail:
    sender: str
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    body: str


def render_email(
    *, template: EmailTemplate, to: list[str], variables: Mapping[str, str], default_sender: str
) -> RenderedEmail:
    """Fill the placeholders; unknown ones stay as written so an edited template never fails to
    send. Line breaks are removed from the subject (no header injection)."""
    subject = Template(template.subject).safe_substitute(variables)
    return RenderedEmail(
        sender=template.sender or default_sender,
        to=list(to),
        cc=list(template.cc),
        bcc=list(template.bcc),
        subject=" ".join(subject.split()),
        body=Template(template.body).safe_substitute(variables),
    )


def retry_delay_seconds(*, attempts: int, base_seconds: int) -> int:
    """Exponential back-off between delivery attempts: base, 2x base, 4x base, ..."""
    return int(base_seconds * 2 ** max(attempts - 1, 0))


# Every one-time secret the platform mails (reset codes `tpr_…`, tickets `tpv_…`, and any other
# token of the `tp?_` family): 32 url-safe random bytes after the prefix.
_SECRET = re.compile(r"\b(tp[a-z]_)[A-Za-z0-9_-]{16,}")


def redact_secrets(body: str) -> str:
    """Seed 001 "Email Settings" shows staff what was sent; a reset code in a mail must not let
    a worker who reads the outbox sign in as the customer, so secrets show as their prefix."""
    return _SECRET.sub(r"\1[redacted]", body)
