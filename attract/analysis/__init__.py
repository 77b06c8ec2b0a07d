"""Pure statistics for trainers: plain numbers in, plain numbers out (no Flask, no SQL).

``item_analysis`` follows Moodle's quiz statistics definitions, so a trainer who knows
that report reads ours the same way.
"""

from .items import ItemStats, TestStats, first_attempts, item_analysis

__all__ = ["ItemStats", "TestStats", "first_attempts", "item_analysis"]
