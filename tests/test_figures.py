"""The yearly figures' types (domain/figures.py): what a script reads from the JSON and what a
person reads on the page come from the same typed value."""

import pytest

from csprcli.domain.figures import Figure, Median, Rate, Share, figure, median, share


def test_a_share_rounds_half_up_and_says_what_is_outstanding():
    assert str(Share(5, 8)) == "5/8 (63%)"  # 62.5 rounds up, as a person counts
    assert str(Share(1, 8)) == "1/8 (13%)"  # 12.5 too (half to even would give 12)
    assert str(Share(9, 11, 1)) == "9/11 (82%), 1 outstanding"
    assert Share(9, 11, 1).typed() == {"part": 9, "whole": 11, "outstanding": 1, "percent": 82}
    assert share(0, 0) is None


def test_a_median_carries_its_count_and_range():
    assert median([6, 0, 4, 5, 3]) == Median(5, 4, 0, 6)
    assert str(median([0, 3, 4, 4, 4, 5, 5, 5, 5, 6])) == "4.5 (n=10, 0 to 6)"
    assert str(median([14])) == "14 (n=1, 14 to 14)"  # a whole number, not 14.0
    assert median([]) is None


def test_a_rate_per_10000_to_one_place_rounded_half_up():
    assert Rate(8, 61200, "2024", "ONS").per_10000 == 1.3
    assert Rate(1, 80000, "2024", "ONS").per_10000 == 0.1  # 0.125 -> 0.1
    assert Rate(3, 80000, "2024", "ONS").per_10000 == 0.4  # 0.375 -> 0.4
    assert Rate(1, 20000, "2024", "ONS").per_10000 == 0.5  # exactly half: 0.5
    assert str(Rate(8, 61200, "2024", "ONS mid-year estimate")) == (
        "1.3 per 10,000 (8 of 61,200 children; 2024, ONS mid-year estimate)"
    )


def test_a_figure_holds_only_what_its_kind_says():
    assert figure("s", "m", 3, "d").kind == "count"
    assert figure("s", "m", Share(1, 2), "d").typed() == {"part": 1, "whole": 2, "outstanding": 0, "percent": 50}
    assert figure("s", "median days", None, "d", "median").text == "-"
    with pytest.raises(TypeError):
        figure("s", "m", None, "d")  # none must say what it is none of
    with pytest.raises(TypeError):
        Figure("s", "m", "6/8 (75%)", "d", "share")  # never a string standing for a share
    with pytest.raises(TypeError):
        Figure("s", "m", True, "d", "count")
