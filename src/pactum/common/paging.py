"""Pages of a long list: ``limit`` rows from ``offset`` of the whole list in its order, answered
with how many the list holds (``X-Total-Count`` on the API), so that a page is never mistaken
for all there is. A list that used to stop silently at a fixed number of rows is paged instead.
"""

from __future__ import annotations


def page_problems(limit: int, offset: int, most: int) -> list[tuple[str, str]]:
    """What is wrong with asking for ``limit`` rows from ``offset`` when a page holds at most
    ``most``: each problem as (field, message), none when the page can be read."""
    problems = []
    if not 1 <= limit <= most:
        problems.append(("limit", f"{limit} is not from 1 to {most}"))
    if offset < 0:
        problems.append(("offset", f"{offset} is negative: give 0 or more"))
    return problems
