"""Queries and mutations of orders and of the ERP export queue."""

from __future__ import annotations

import strawberry

from core.context import Context
from models import Order as OrderRow
from resolvers import checkout, orders
from schema.cart_inputs import AcknowledgeExportsInput, ReleaseOrderInput
from schema.info import Info
from schema.input_values import key_of, maybe_key
from schema.order_types import ErpExport, Order
from schema.payloads import Payload, mutation
from schema.permissions import require_authenticated, require_sync, require_worker
from schema.relay import Connection, PageRequest, connection, decode_id_of, paginate


async def order_row(context: Context, id: str) -> OrderRow | None:
    """`order(id:)`'s row, on both read paths (`schema.plans`)."""
    require_authenticated(context.viewer)
    return await orders.readable_order(context, decode_id_of(id, "Order"))


@strawberry.type
class OrderQuery:
    @strawberry.field(description="An order the viewer may see; null otherwise.")
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        return Order.from_optional_row(await order_row(info.context, id))

    @connection(
        description="Orders and web accounts the ERP has not acknowledged, oldest first "
        "(integrators: the `sync` scope)."
    )
    async def pending_exports(self, info: Info, page: PageRequest) -> Connection[ErpExport]:
        require_sync(info.context.viewer)
        return await paginate(info, orders.pending_exports(), page, ErpExport.from_row)


@strawberry.type
class AcknowledgeExportsPayload(Payload):
    exports: list[ErpExport] = strawberry.field(default_factory=list)


@strawberry.type
class ReleaseOrderPayload(Payload):
    order: Order | None = None


@strawberry.type
class OrderMutation:
    @mutation(
        ReleaseOrderPayload,
        gate=require_worker,
        description="Release an order held by CM10 'Hold Orders Created' (workers who manage "
        "the account); it then goes to the ERP export feed.",
    )
    async def release_order(self, info: Info, input: ReleaseOrderInput) -> dict[str, object]:
        row = await checkout.release_order(
            info.context, key_of(input.order_id, "Order", field="orderId")
        )
        return {"order": Order.from_row(row)}

    @mutation(
        AcknowledgeExportsPayload,
        gate=require_sync,
        description="The ERP imported these exports (the `sync` scope).",
    )
    async def acknowledge_exports(
        self, info: Info, input: AcknowledgeExportsInput
    ) -> dict[str, object]:
        rows = await orders.acknowledge_exports(
            info.context,
            [maybe_key(export_id, "ErpExport") for export_id in input.ids],
            input.erp_keys or [],
        )
        return {"exports": ErpExport.from_rows(rows)}
