"""The registration operations as a storefront sends them, shared by the registration tests."""

from __future__ import annotations

from typing import Any

REGISTER_ACCOUNT = """
mutation Register($input: RegisterAccountInput!) {
  registerAccount(input: $input) {
    token
    awaitingApproval
    viewer { kind contact { username } activeAccount { code } }
    account {
      code isActive source awaitingApproval awaitingErpExport customerGroups priceLevel
      salesRepCode paymentTermsKind paymentTermsValue
      primaryAddress { kind line1 postcode isPrimary }
    }
    errors { field code message }
  }
}
"""

VERIFY_ACCOUNT = """
mutation Verify($input: VerifyAccountInput!) {
  verifyAccount(input: $input) {
    ticket
    account { accountNumber companyName maskedStreet city region postcode }
    errors { field code message }
  }
}
"""

REGISTER_CONTACT = """
mutation RegisterContact($input: RegisterContactInput!) {
  registerContact(input: $input) {
    token
    awaitingApproval
    viewer { contact { username } activeAccount { code } memberships { nodes { role } } }
    errors { field code message }
  }
}
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { field code message } }
}
"""

SET_ACCOUNT_ACTIVE = """
mutation Activate($input: SetAccountActiveInput!) {
  setAccountActive(input: $input) {
    account { code isActive awaitingApproval contacts { nodes { username isEnabled } } }
    errors { field code message }
  }
}
"""

MOVE_CONTACT = """
mutation Move($input: MoveContactInput!) {
  moveContact(input: $input) {
    membership { role isDefault account { code } contact { username } }
    errors { field code message }
  }
}
"""

VERIFICATION_FAILED = [
    {
        "field": None,
        "code": "INVALID",
        "message": "We could not verify that account with these details",
    }
]


def registration(**overrides: Any) -> dict[str, Any]:
    """A complete, valid `registerAccount` input."""
    values: dict[str, Any] = {
        "companyName": "Nguyen Cabinets",
        "contactName": "Linh Nguyen",
        "email": "linh@nguyen-cabinets.example",
        "username": "linh",
        "password": "cabinets-and-joinery",
        "billingAddress": {
            "line1": "12 Timber Lane",
            "city": "Geelong",
            "region": "VIC",
            "postcode": "3220",
        },
    }
    return {**values, **overrides}
