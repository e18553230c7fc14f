"""Naive UTC datetimes (Odoo's storage) and epoch seconds (the lib's instants)."""

from datetime import datetime, timedelta

EPOCH = datetime(1970, 1, 1)


def to_epoch(moment):
    """Naive UTC datetime to epoch seconds."""
    return (moment - EPOCH).total_seconds()


def from_epoch(seconds):
    """Epoch seconds to a naive UTC datetime, rounded to the second."""
    return EPOCH + timedelta(seconds=round(seconds))
