"""Knowledge about time-ordered data: pandas calls whose value for a row is computed from later
rows (HPL412), and column names that say a frame's rows are ordered in time."""

from __future__ import annotations

# Methods that fill or smooth a row from the rows after it, whatever their arguments.
BACKWARD_FILL_METHODS = frozenset({"bfill", "backfill"})
# `fillna(method=...)` / `interpolate(limit_direction=...)` values that look forward in time.
BACKWARD_FILL_ARGUMENTS = frozenset({"bfill", "backfill"})
# `interpolate()` uses the next valid value for every gap (linear/time/spline ... all do); only
# `method="pad"/"ffill"` looks back only.
LOOK_BACK_INTERPOLATION = frozenset({"pad", "ffill", "zero"})
# Column names that make a `shift(-k)` column a target rather than a feature.
TARGET_WORDS = ("target", "label", "future", "forward", "fwd", "ahead", "outcome", "response", "next_day_y")
TARGET_NAMES = frozenset({"y", "label", "labels", "target", "targets"})
# Column names that hold a point in time (a filter `df[df.date >= cutoff]` is then chronological).
TIME_COLUMN_WORDS = ("date", "time", "timestamp", "year", "month", "day", "datetime", "period")
