"""Where the interpreter is: environments (name -> Value, chained to the enclosing scope) and frames
(the environment, the inlined call sites that led here, the function), and the bounds on inlining."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from hplint.analysis.lineage import Value


class Env(dict):
    """name -> Value for one scope; falls back to the enclosing scope's environment."""

    def __init__(self, parent: "Env | None" = None, data=()):
        super().__init__(data)
        self.parent = parent

    def lookup(self, name: str) -> Value | None:
        env: Env | None = self
        while env is not None:
            if name in env:
                return env[name]
            env = env.parent
        return None

    def copy(self) -> "Env":
        return Env(self.parent, self)


@dataclass(slots=True)
class Frame:
    """Where the interpreter is: the environment, the call sites that led here, the function."""

    env: Env
    sites: tuple[cst.Call, ...] = ()  # call sites of inlined helpers, outermost first
    function: cst.FunctionDef | None = None
    params: tuple[str, ...] = ()
    returns: list[Value] = field(default_factory=list)
    depth: int = 0
    # Comprehensions being evaluated (the semantic model visits a comprehension's element before
    # its `for`, so calls in the element do not list it among their loops).
    comprehensions: tuple[cst.CompFor, ...] = ()


MAX_INLINE_DEPTH = 3
MAX_INLINES = 400


# Loop nesting up to which a loop body is interpreted twice (loop-carried data reaching its uses).
DOUBLED_LOOPS = 6
