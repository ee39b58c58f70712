"""Facts about the United Nations that several stages need: its organs and their names,
the months and ordinals as UN documents print them.  One place, so that the parser, the
mapping and every export spell them alike."""

from __future__ import annotations

import datetime as dt

#: AKN4UN actor -> the name UN documents print.
ORGANS = {
    "un-ga": "General Assembly",
    "un-sc": "Security Council",
    "un-ga-c1": "First Committee",
    "un-ga-c2": "Second Committee",
    "un-ga-c3": "Third Committee",
    "un-ga-c4": "Special Political and Decolonization Committee (Fourth Committee)",
    "un-ga-c5": "Fifth Committee",
    "un-ga-c6": "Sixth Committee",
}

#: The names a committee line may print ("[on the report of the Third Committee (...)]").
COMMITTEES = {
    **{name: actor for actor, name in ORGANS.items() if actor.startswith("un-ga-c")},
    "Fourth Committee": "un-ga-c4",
    "Special Political and Decolonization Committee": "un-ga-c4",
}

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def ordinal(number: int | str) -> str:
    """77 -> "77th", 5151 -> "5151st" (as the UN prints meeting and session numbers); text
    that is not a number is returned as it is.

    >>> ordinal(77), ordinal("5151"), ordinal(12), ordinal("ES-10")
    ('77th', '5151st', '12th', 'ES-10')
    """
    if isinstance(number, str) and not number.isdigit():
        return number
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(day: dt.date | str) -> str:
    """2003-12-22 -> "22 December 2003" (as the UN prints dates).

    >>> long_date("2003-12-22")
    '22 December 2003'
    """
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
