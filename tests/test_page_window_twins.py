"""A page window is decided twice: in SQL for pages read by a `PageLoader` (`_in_window`) and in
Python for lists paged in memory (`Window.holds`, `relay.paginate_list`). Both keep the same
positions, for every window a client can ask for, on the test database."""

from __future__ import annotations

import itertools

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from loaders.pages import Window, _in_window

TOTAL = 7
WINDOWS = [
    Window(start=start, size=size, end=end, last=last)
    for start, size, end, last in itertools.product(
        (0, 2, 6, 9), (0, 1, 3, 20), (None, 0, 4, 7, 12), (None, 0, 2, 5)
    )
]


async def test_sql_and_python_keep_the_same_positions_of_every_window(
    session: AsyncSession,
) -> None:
    kept_somewhere = set()
    for window in WINDOWS:
        condition = [
            _in_window(literal(position), literal(TOTAL), window) for position in range(TOTAL)
        ]
        by_sql = (await session.execute(select(*condition))).one()
        by_python = tuple(window.holds(position, TOTAL) for position in range(TOTAL))
        assert tuple(bool(kept) for kept in by_sql) == by_python, window
        kept_somewhere.add(by_python)
    # Worth something only if the windows keep different positions.
    assert len(kept_somewhere) > 5
