"""The words the knowledge-base modules are written in: parameter kinds, common ranges, positions."""

from __future__ import annotations

from dataclasses import replace

from hplint.knowledge.schema import Param, Range

INFRA = "infrastructure"
REG = "regularization"
CAP = "capacity"
OPT = "optimization"
STRUCT = "structural"

POSITIVE = Range(0, None, False)
NON_NEGATIVE = Range(0, None)
AT_LEAST_ONE = Range(1, None)
UNIT_CLOSED = Range(0, 1)  # [0, 1]
UNIT_OPEN = Range(0, 1, False, False)  # (0, 1)
UNIT_RIGHT_CLOSED = Range(0, 1, False, True)  # (0, 1]: fractions such as subsample
UNIT_LEFT_CLOSED = Range(0, 1, True, False)  # [0, 1): dropout rates, momentum, betas
ZERO = (0, 0.0)  # the literal values that switch a penalty off


def numbered(*positional: Param) -> tuple[Param, ...]:
    """Give parameters their positions, in order (what users pass without a keyword)."""
    return tuple(replace(param, position=index) for index, param in enumerate(positional))
