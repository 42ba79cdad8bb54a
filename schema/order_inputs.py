"""Filter and ordering of the order connections (`Viewer.orders`, `Account.orders`)."""

from __future__ import annotations

import strawberry

from domain.enums import OrderStatus
from resolvers.orders import OrderQuery, OrderSortField
from schema.enquiry_inputs import DateRangeInput
from schema.input_values import search_text
from schema.relay import SortDirection

strawberry.enum(OrderSortField)


@strawberry.input
class OrderFilter:
    status: list[OrderStatus] | None = strawberry.field(
        default=None, description="Any of these; null or empty for all."
    )
    created_at: DateRangeInput | None = strawberry.field(
        default=None, description="The days the orders were placed on (UTC)."
    )
    search: str | None = strawberry.field(
        default=None, description="An order's full number, or part of its PO or ERP order number."
    )


@strawberry.input
class OrderSortBy:
    field: OrderSortField = OrderSortField.CREATED_AT
    direction: SortDirection = SortDirection.DESC


def order_query(filter: OrderFilter | None, sort_by: OrderSortBy | None) -> OrderQuery:
    filter = filter or OrderFilter()
    sort_by = sort_by or OrderSortBy()
    return OrderQuery(
        statuses=frozenset(filter.status or ()),
        placed_from=filter.created_at.start if filter.created_at else None,
        placed_to=filter.created_at.end if filter.created_at else None,
        search=search_text(filter.search),
        sort_field=sort_by.field,
        descending=sort_by.direction is SortDirection.DESC,
    )
