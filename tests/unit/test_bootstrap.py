"""The bootstrap by counting (domain/bootstrap.py) gives the medians of the bootstrap by its
definition (sorting every resample), bit for bit: any group size, ties, negative values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.bootstrap import bootstrap_intervals, medians_by_counting, medians_by_sorting

values = st.one_of(
    st.sampled_from([-1.5, 0.0, 0.25, 1.0, 2.0]),  # many ties
    st.floats(-50, 50, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=40, deadline=None)
@given(
    columns=st.integers(2, 40).flatmap(
        lambda n: st.lists(st.lists(values, min_size=n, max_size=n), min_size=1, max_size=2)
    ),
    seed=st.integers(0, 2**31),
)
def test_counting_equals_sorting(columns, seed) -> None:  # type: ignore[no-untyped-def]
    counted = medians_by_counting(columns, 300, seed)
    assert counted is not None
    assert counted == medians_by_sorting(columns, 300, seed)


def test_large_groups_either_side_of_the_lane_width() -> None:
    for n in (253, 254, 255, 257):
        columns = [[((i * 37) % 101) / 7 for i in range(n)], [float(i % 5) for i in range(n)]]
        assert medians_by_counting(columns, 200, n) == medians_by_sorting(columns, 200, n), n
    intervals = bootstrap_intervals(columns, resamples=200, seed=7)
    assert intervals == bootstrap_intervals(columns, resamples=200, seed=7)
    assert all(lo <= hi for lo, hi in intervals)
    assert bootstrap_intervals([[3.0]], resamples=10, seed=1) == [(3.0, 3.0)]
