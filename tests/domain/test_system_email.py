"""Pure rules of system e-mail: rendering templates and retry back-off."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.system_email import EmailTemplate, render_email, retry_delay_seconds


def test_placeholders_are_filled_and_unknown_ones_kept() -> None:
    template = EmailTemplate(
        subject="Account $account_number\nBcc: evil@example.com",
        body="Hello $contact_name, $unknown stays.",
        cc=["sales@example.com"],
    )

    rendered = render_email(
        template=template,
        to=["a@example.com"],
        variables={"account_number": "W1000", "contact_name": "Linh"},
        default_sender="shop@example.com",
    )

    assert rendered.subject == "Account W1000 Bcc: evil@example.com"
    assert rendered.body == "Hello Linh, $unknown stays."
    assert (rendered.sender, rendered.to, rendered.cc, rendered.bcc) == (
        "shop@example.com",
        ["a@example.com"],
        ["sales@example.com"],
        [],
    )


@pytest.mark.parametrize(("attempts", "delay"), [(1, 60), (2, 120), (3, 240), (0, 60)])
def test_retries_back_off_exponentially(attempts: int, delay: int) -> None:
    assert retry_delay_seconds(attempts=attempts, base_seconds=60) == delay


@pytest.mark.parametrize("address", ["nope", "a@b", "two words@example.com"])
def test_copies_must_be_addresses(address: str) -> None:
    with pytest.raises(ValidationError):
        EmailTemplate(subject="s", body="b", bcc=[address])
