"""Names for moved hyperparameters: from the keyword, disambiguated by the callee when names clash.

Literals with the same keyword, callee and text share one name (`Dropout(0.25)` twice is one knob);
the same keyword with another value or another callee, and a one-letter keyword, get the callee's
name as a prefix (`RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS`, `DROPOUT_P`), and a callee that clashes with itself is numbered from its second value on (`SVC_C`, `SVC_C_2`).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Callable

from hplint.codemods.gather import Hyperparameter, Refusal

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9a-zA-Z_]+")


@dataclass(slots=True, eq=False)
class Setting:
    """One moved value: its name and the literals that now refer to it."""

    name: str
    key: str
    callee: str
    text: str
    value: object
    items: list[Hyperparameter] = field(default_factory=list)


def snake(text: str) -> str:
    words = _NOT_WORD.sub("_", _CAMEL.sub("_", text)).strip("_").lower()
    words = re.sub("_+", "_", words) or "value"
    return f"p_{words}" if words[0].isdigit() else words


def name_settings(
    items: list[Hyperparameter], upper: bool, taken: Callable[[str], str | None]
) -> list[Setting]:
    """Group `items` into settings and name them. `taken(name)` says why a name cannot be used
    (None when it is free); a setting none of whose candidate names is free refuses the file."""
    settings: list[Setting] = []
    by_identity: dict[tuple[str, str, str], Setting] = {}
    for item in items:
        identity = (snake(item.key), item.callee, item.text)
        setting = by_identity.get(identity)
        if setting is None:
            setting = by_identity[identity] = Setting("", item.key, item.callee, item.text, item.value)
            settings.append(setting)
        setting.items.append(item)
    by_key: dict[str, list[Setting]] = {}
    for setting in settings:
        by_key.setdefault(snake(setting.key), []).append(setting)
    used: set[str] = set()
    for key, group in by_key.items():
        per_callee: dict[str, int] = {}
        for setting in group:
            prefixed = f"{snake(setting.callee)}_{key}"
            # A one-letter keyword says nothing alone (`Dropout(p=...)`, `SVC(C=...)`).
            candidates = [key, prefixed] if len(group) == 1 and len(key) > 1 else [prefixed]
            count = per_callee[setting.callee] = per_callee.get(setting.callee, 0) + 1
            if count > 1:
                candidates = [f"{prefixed}_{count}"]
            setting.name = _first_free(candidates, upper, used, taken, setting)
            used.add(setting.name)
    return settings


def _first_free(
    candidates: list[str], upper: bool, used: set[str], taken: Callable[[str], str | None], setting: Setting
) -> str:
    reasons = []
    for candidate in candidates:
        name = candidate.upper() if upper else candidate
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            name += "_"
        reason = "is used for another value" if name in used else taken(name)
        if reason is None:
            return name
        reasons.append(f"`{name}` {reason}")
    item = setting.items[0]
    raise Refusal(f"line {item.row}: no free name for {setting.callee}'s `{setting.key}` ({'; '.join(reasons)})")
