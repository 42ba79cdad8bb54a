"""Loaders of the request log."""

from __future__ import annotations

from loaders.base import RowByKeyLoader
from models import CredentialRequest


class CredentialRequestByIdLoader(RowByKeyLoader[CredentialRequest]):
    model = CredentialRequest
