"""`settings`: the settings workspace, one field per section, readable by anyone (a storefront
needs them to decide which links to show). Each section is edited by its own mutation."""

from __future__ import annotations

import strawberry

from resolvers import erp_settings, guest_checkout, registration, wallet, workers
from schema.guest_checkout_api import GuestCheckoutSettings
from schema.info import Info
from schema.registration_types import CustomerDataSettings
from schema.sync_customer_types import ErpSettings
from schema.wallet_api import WalletSettings
from schema.worker_api import WorkerPermissionSettings


@strawberry.type(description="The platform's settings, one field per settings-workspace section.")
class Settings:
    @strawberry.field(description="Customer Data: account and contact creation (seed 001).")
    async def customer_data(self, info: Info) -> CustomerDataSettings:
        return CustomerDataSettings.from_model(
            await registration.customer_data_settings(info.context)
        )

    @strawberry.field(description="Wallet: whether contacts may save credit cards (seed 002).")
    async def wallet(self, info: Info) -> WalletSettings:
        return WalletSettings(**(await wallet.wallet_settings(info.context)).model_dump())

    @strawberry.field(
        description="ERP: whether account editing is restricted to the ERP (seed 000)."
    )
    async def erp(self, info: Info) -> ErpSettings:
        return ErpSettings(**(await erp_settings.erp_settings(info.context)).model_dump())

    @strawberry.field(description="Guest checkout: anonymous B2C buying (seed 000).")
    async def guest_checkout(self, info: Info) -> GuestCheckoutSettings:
        return GuestCheckoutSettings.from_model(
            await guest_checkout.guest_checkout_settings(info.context)
        )

    @strawberry.field(
        description="Worker permissions: each role's defaults (seed 003); null unless staff."
    )
    async def worker_permissions(self, info: Info) -> WorkerPermissionSettings | None:
        if not info.context.viewer.is_staff:
            return None
        return WorkerPermissionSettings.from_model(await workers.role_permissions(info.context))


@strawberry.type
class SettingsQuery:
    @strawberry.field(description="Platform settings (readable by anyone).")
    def settings(self) -> Settings:
        return Settings()
