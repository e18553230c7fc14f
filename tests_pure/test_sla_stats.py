"""Compliance and chart scaling."""

from sla_stats import bar_heights, compliance_percent


def test_compliance_counts_decided_targets_only():
    assert compliance_percent(0, 0) is None
    assert compliance_percent(3, 1) == 75.0
    assert compliance_percent(5, 0) == 100.0


def test_bar_heights():
    assert bar_heights([50, 100, None]) == [50.0, 100.0, 0.0]
    assert bar_heights([None, None]) == [0.0, 0.0]
    assert bar_heights([99.0, 100.0], floor=95.0) == [80.0, 100.0]
    assert bar_heights([90.0], floor=95.0) == [0.0]


def test_bar_heights_on_a_fixed_percentage_scale():
    assert bar_heights([50.0], top=100.0) == [50.0]
    assert bar_heights([50.0, 25.0], top=100.0, height=40.0) == [20.0, 10.0]
