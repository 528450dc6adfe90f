"""The figures of the yearly reports, typed: a count, a number of days, a share of a whole, a
median with its count and range, or none. Pure: one shape of figure, one rounding of shares and
one median for both reports (incidents and child deaths), and for every view of them.
"""

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    """A share of a whole: `part` of `whole` were in time (or had the feature), `outstanding` of
    the whole not yet done. The percentage is rounded half up, as a person counts (not half to even)."""

    part: int
    whole: int
    outstanding: int = 0

    @property
    def percent(self) -> int:
        return (200 * self.part + self.whole) // (2 * self.whole)

    def __str__(self) -> str:
        text = f"{self.part}/{self.whole} ({self.percent}%)"
        return f"{text}, {self.outstanding} outstanding" if self.outstanding else text

    def typed(self) -> dict:
        return {"part": self.part, "whole": self.whole, "outstanding": self.outstanding, "percent": self.percent}


@dataclass(frozen=True)
class Median:
    """The median of `n` numbers (whole where it is whole: 14, not 14.0; else a half, 4.5), with
    the lowest and the highest."""

    n: int
    median: int | float
    min: int
    max: int

    def __str__(self) -> str:
        return f"{self.median} (n={self.n}, {self.min} to {self.max})"

    def typed(self) -> dict:
        return {"n": self.n, "median": self.median, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class Rate:
    """`count` per 10,000 of a population (the number, the year it is for and its source as the
    partnership typed them), to one decimal place, rounded half up."""

    count: int
    population: int
    year: str
    source: str

    @property
    def per_10000(self) -> float:
        from decimal import ROUND_HALF_UP, Decimal

        return float((Decimal(self.count) * 10000 / self.population).quantize(Decimal("0.1"), ROUND_HALF_UP))

    def __str__(self) -> str:
        return f"{self.per_10000} per 10,000 ({self.count} of {self.population:,} children; {self.year}, {self.source})"

    def typed(self) -> dict:
        return {
            "count": self.count,
            "population": self.population,
            "per_10000": self.per_10000,
            "population_year": self.year,
            "population_source": self.source,
        }


# days: a duration, shown as a number, never drawn as a bar; rate: per 10,000 children, a number too
KINDS = ("count", "days", "share", "median", "rate")


@dataclass(frozen=True)
class Figure:
    """One figure of a yearly report, typed: a count (int), a number of days (int), a share
    (Share) or a median (Median); None where there is nothing to count (no case fell due, no
    value to take a median of). Its definition is one line of its own."""

    section: str
    measure: str
    value: int | Share | Median | Rate | None
    definition: str
    kind: str = "count"

    def __post_init__(self) -> None:
        expected = {"count": int, "days": int, "share": Share, "median": Median, "rate": Rate}[self.kind]
        if self.value is not None and (type(self.value) is bool or not isinstance(self.value, expected)):
            raise TypeError(f"{self.measure}: a {self.kind} figure holds {expected.__name__}, not {self.value!r}")

    @property
    def text(self) -> str:
        """The value as people read it; "-" for none."""
        return "-" if self.value is None else str(self.value)

    def typed(self) -> object:
        """The value as JSON carries it: an int, an object of numbers, or null."""
        return self.value.typed() if isinstance(self.value, (Share, Median, Rate)) else self.value


def figure(
    section: str, measure: str, value: int | Share | Median | Rate | None, definition: str, kind: str | None = None
) -> Figure:
    """A figure, its kind read from what it holds where not given (an int is a count). A share or a
    median can be none (None): its kind must then be given."""
    if kind is None:
        if value is None:
            raise TypeError(f"{measure}: a figure of no value must say its kind")
        kinds = {Share: "share", Median: "median", Rate: "rate"}
        kind = kinds.get(type(value), "count")
    return Figure(section, measure, value, definition, kind)


def share(part: int, whole: int, outstanding: int = 0) -> Share | None:
    """`part` of `whole`; None where the whole is empty (nothing fell due)."""
    return Share(part, whole, outstanding) if whole else None


def median(values: list[int]) -> Median | None:
    """The median of the values with their count and range; None for none."""
    if not values:
        return None
    middle = statistics.median(values)
    return Median(len(values), int(middle) if middle == int(middle) else middle, min(values), max(values))
