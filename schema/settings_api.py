"""`settings`: the settings workspace, one field per section, readable by anyone (a storefront
needs them to decide which links to show). Each section is edited by its own mutation."""

from __future__ import annotations

import strawberry

from resolvers import registration
from schema.customer_types import Info
from schema.registration_types import CustomerDataSettings


@strawberry.type(description="The platform's settings, one field per settings-workspace section.")
class Settings:
    @strawberry.field(description="Customer Data: account and contact creation (seed 001).")
    async def customer_data(self, info: Info) -> CustomerDataSettings:
        return CustomerDataSettings.from_model(
            await registration.customer_data_settings(info.context)
        )


@strawberry.type
class SettingsQuery:
    @strawberry.field(description="Platform settings (readable by anyone).")
    def settings(self) -> Settings:
        return Settings()
