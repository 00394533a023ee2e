"""`hplint extract-config`: move the hyperparameters HPL101 reports into one place.

Targets:
- `constants`: module-level UPPER_CASE constants after the imports (`LR = 3e-4`), used at the call
  sites (`Adam(params, lr=LR)`);
- `dataclass`: a `@dataclass` `Config` with typed fields and the literals as defaults, one
  module-level instance `config = Config()`, used as `config.lr` (a list default becomes a
  `default_factory`, as dataclasses require);
- `argparse`: `--lr` flags with the literals as defaults, added to the script's own parser before
  its `parse_args()` or parsed at the top of its `if __name__ == "__main__":` block; a value the
  parsed namespace does not reach (module-level code that runs at import, a function that neither
  sees the global nor takes it as a parameter) refuses the file;
- `toml`: the values in a table of a TOML file (named after the script), loaded with `tomllib` at
  the top of the script; a tuple stays a tuple (`tuple(HYPERPARAMETERS["betas"])`).

Every target copies each literal's text as written, so no value changes, and leaves every other
byte of the file alone (comments included). The result must compile, else nothing is written. A
second run finds nothing left to move. What cannot be rewritten safely raises `Refusal`.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider, MetadataWrapper

from hplint.codemods.gather import Gathered, Hyperparameter, Refusal, gather, parse
from hplint.codemods.naming import Setting, name_settings, snake
from hplint.settings import Settings
from hplint.source import SourceFile

TARGETS = ("constants", "dataclass", "argparse", "toml")


@dataclass(slots=True)
class Rewritten:
    text: str  # the new source (the old one when nothing moved)
    moved: int  # literals replaced
    settings: list[Setting]
    toml: str | None = None  # the new text of the TOML file (`--to toml`)


def extract(
    source: SourceFile,
    settings: Settings,
    relative_path: str,
    target: str,
    *,
    toml_path: Path | None = None,
    script_path: Path | None = None,
    toml_text: str | None = None,
    at: tuple[int, int] | None = None,
) -> Rewritten:
    """Rewrite `source` for `target`. For `toml`, `toml_path` is the TOML file, `script_path` the
    script (the loader names the TOML file relative to it) and `toml_text` the TOML file's current
    text (None when it does not exist)."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    gathered = gather(source, settings, relative_path, at=at)
    if not gathered.items:
        return Rewritten(source.text, 0, [])
    builder = _BUILDERS[target](gathered)
    if target == "toml":
        assert toml_path is not None and script_path is not None
        builder.locate(toml_path, script_path, toml_text)  # type: ignore[attr-defined]
    module = builder.build()
    text = module.code
    try:
        compile(text, source.path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:  # a bug in a builder: never write such code
        raise Refusal(f"the rewritten file would not compile ({error}); it is not rewritten") from None
    return Rewritten(text, len(gathered.items), builder.settings, getattr(builder, "toml_out", None))


# -- shared machinery ------------------------------------------------------------------------------


class _Builder:
    upper = False

    def __init__(self, gathered: Gathered) -> None:
        self.gathered = gathered
        self.module = gathered.module
        self.names = gathered.names
        self.settings = name_settings(gathered.items, self.upper, self.taken)

    def taken(self, name: str) -> str | None:
        return None

    def reference(self, setting: Setting) -> str:
        raise NotImplementedError

    def block(self) -> str:
        """The module-level statements inserted after the imports."""
        raise NotImplementedError

    def imports(self) -> list[str]:
        return []

    def statements_before(self) -> dict[int, list[str]]:
        """Lines to insert before a statement (by the id of the original statement)."""
        return {}

    def statements_into(self) -> dict[int, list[str]]:
        """Lines to insert at the start of a compound statement's body (by its original id)."""
        return {}

    def build(self) -> cst.Module:
        refs = {}
        for setting in self.settings:
            expression = cst.parse_expression(self.reference(setting))
            for item in setting.items:
                refs[id(item.node)] = expression
        module = self.module.visit(_Replace(refs, self.statements_before(), self.statements_into()))
        return _insert(module, self.imports(), self.block())

    def free_module_name(self, *candidates: str) -> str:
        for name in candidates:
            if name not in self.names:
                return name
        raise Refusal(f"the names {', '.join(f'`{c}`' for c in candidates)} are all used in the file already")


class _Replace(cst.CSTTransformer):
    """One pass: literals replaced by references, statements inserted (ids of the original tree)."""

    def __init__(self, refs: dict[int, cst.BaseExpression], before: dict[int, list[str]], into: dict[int, list[str]]) -> None:
        self.refs = refs
        self.before = before
        self.into = into

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        if isinstance(updated_node, (cst.IndentedBlock, cst.Module)) and self.before:
            updated_node = updated_node.with_changes(body=self._with_insertions(original_node.body, updated_node.body))  # type: ignore[attr-defined]
        lines = self.into.get(id(original_node))
        if lines and isinstance(updated_node.body, cst.IndentedBlock):  # type: ignore[attr-defined]
            block = updated_node.body  # type: ignore[attr-defined]
            updated_node = updated_node.with_changes(body=block.with_changes(body=[*_lines_as_statements(lines), *block.body]))
        return self.refs.get(id(original_node), updated_node)

    def _with_insertions(self, original: Sequence[cst.CSTNode], updated: Sequence[cst.CSTNode]) -> list:
        body = []
        for old, new in zip(original, updated):
            lines = self.before.get(id(old))
            if lines:
                statements = _lines_as_statements(lines)
                statements[0] = statements[0].with_changes(leading_lines=new.leading_lines)  # type: ignore[attr-defined]
                body.extend(statements)
                new = new.with_changes(leading_lines=[])  # type: ignore[attr-defined]
            body.append(new)
        return body


def _header_end(module: cst.Module) -> int:
    """Index of the first module statement after the docstring and the leading imports (plain,
    `from`, and `try:`/`if` blocks holding only imports)."""
    index = 0
    for index, statement in enumerate(module.body):
        if index == 0 and _is_docstring(statement):
            continue
        if not _is_import(statement):
            return index
    return len(module.body)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)
    if isinstance(statement, cst.Try):
        blocks = [statement.body, *(handler.body for handler in statement.handlers)]
        return all(
            isinstance(block, cst.IndentedBlock) and all(_is_import(s) or _is_pass(s) for s in block.body)
            for block in blocks
        ) and statement.orelse is None and statement.finalbody is None
    return False


def _is_pass(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in statement.body)


def _statements(text: str) -> list[cst.BaseStatement]:
    return list(cst.parse_module(text).body) if text else []


def _insert(module: cst.Module, imports: list[str], block: str) -> cst.Module:
    """`imports` after the leading imports, then `block` after one or two blank lines."""
    body = list(module.body)
    at = _header_end(module)
    new_imports = _statements("".join(line + "\n" for line in imports))
    blank = [cst.EmptyLine()]
    gap = 2 if block.lstrip().startswith(("@", "class ", "def ")) else 1
    statements = _statements(block)
    if statements:
        statements[0] = statements[0].with_changes(leading_lines=blank * gap if (at or new_imports) else [])
    if at < len(body):
        following = body[at]
        leading = list(following.leading_lines)
        # The block ends with a simple statement: one blank line before what follows it.
        if statements and not (leading and leading[0].comment is None):
            following = following.with_changes(leading_lines=blank + leading)
        body[at] = following
    return module.with_changes(body=body[:at] + new_imports + statements + body[at:])


def _python_type(value: object) -> str:
    if isinstance(value, tuple):
        return f"tuple[{', '.join(_python_type(v) for v in value)}]" if value else "tuple[()]"
    if isinstance(value, list):
        kinds = sorted({_python_type(v) for v in value})
        return f"list[{kinds[0]}]" if len(kinds) == 1 else "list"
    return type(value).__name__


# -- constants -----------------------------------------------------------------------------------


class _Constants(_Builder):
    upper = True

    def taken(self, name: str) -> str | None:
        return "is already used in the file" if name in self.names else None

    def reference(self, setting: Setting) -> str:
        return setting.name

    def block(self) -> str:
        return "".join(f"{s.name} = {s.text}\n" for s in self.settings)


# -- dataclass -----------------------------------------------------------------------------------


class _Dataclass(_Builder):
    def __init__(self, gathered: Gathered) -> None:
        super().__init__(gathered)
        self.class_name = self.free_module_name("Config", "TrainingConfig", "Hyperparameters")
        self.instance = self.free_module_name("config", "hparams", "training_config")
        self.needs_field = any(isinstance(s.value, list) for s in self.settings)
        wanted = ["dataclass", *(["field"] if self.needs_field else [])]
        self.existing = _imported_from(self.module, "dataclasses")
        for name in wanted:
            if name in self.names and name not in self.existing:
                raise Refusal(f"`{name}` is already used in the file for something other than dataclasses.{name}")

    def taken(self, name: str) -> str | None:
        return "is a dataclass keyword" if name in ("field", "fields") else None

    def reference(self, setting: Setting) -> str:
        return f"{self.instance}.{setting.name}"

    def imports(self) -> list[str]:
        missing = [n for n in ("dataclass", *(["field"] if self.needs_field else [])) if n not in self.existing]
        return [f"from dataclasses import {', '.join(missing)}"] if missing else []

    def block(self) -> str:
        lines = ["@dataclass", f"class {self.class_name}:"]
        for s in self.settings:
            default = f"field(default_factory=lambda: {s.text})" if isinstance(s.value, list) else s.text
            lines.append(f"    {s.name}: {_python_type(s.value)} = {default}")
        return "\n".join(lines) + f"\n\n\n{self.instance} = {self.class_name}()\n"


def _imported_from(module: cst.Module, package: str) -> set[str]:
    names = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and cst.Module([]).code_for_node(small.module) == package
                and not isinstance(small.names, cst.ImportStar)
            ):
                names.update(alias.name.value for alias in small.names if alias.asname is None and isinstance(alias.name, cst.Name))
    return names


def _imports_module(module: cst.Module, name: str) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    alias.asname is None and isinstance(alias.name, cst.Name) and alias.name.value == name
                    for alias in small.names
                ):
                    return True
    return False


# -- argparse ------------------------------------------------------------------------------------


class _Argparse(_Builder):
    def __init__(self, gathered: Gathered) -> None:
        self.gathered = gathered
        self.module = gathered.module
        self.names = gathered.names
        self.parents = gathered.parents
        self.existing_dests: set[str] = set()
        self.existing_flags: set[str] = set()
        self._find_parser()
        self.settings = name_settings(gathered.items, False, self.taken)
        self._check_reach()

    def _find_parser(self) -> None:
        found = _ParseArgs()
        self.module.visit(found)
        if len(found.calls) > 1:
            rows = ", ".join(str(self._row(s)) for s, _, _ in found.calls)
            raise Refusal(f"parses its command line more than once (lines {rows}); add the flags by hand")
        if found.calls:
            self.parse_statement, self.args, self.parser = found.calls[0]
            self.parse_function = self._function_of(self.parse_statement)
            self.guard = None
            for call in found.add_argument_calls.get(self.parser, []):
                self._record_existing(call)
            return
        if found.known_args:
            raise Refusal("parses its command line with `parse_known_args`; add the flags by hand")
        self.guard = _main_guard(self.module)
        if self.guard is None:
            raise Refusal(
                'has no `if __name__ == "__main__":` block to parse flags in (parsing them at import '
                "would break importing the file); add one, or use --to constants, dataclass or toml"
            )
        self.parse_statement = None
        self.parse_function = None
        self.args = self.free_module_name("args", "hparams", "flags")
        self.parser = self.free_module_name("parser", "hparams_parser", "flag_parser")
        if not _imports_module(self.module, "argparse") and "argparse" in self.names:
            raise Refusal("`argparse` is already used in the file for something other than the module")

    def _record_existing(self, call: cst.Call) -> None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "dest" and isinstance(arg.value, cst.SimpleString):
                self.existing_dests.add(str(arg.value.evaluated_value))
            elif arg.keyword is None and isinstance(arg.value, cst.SimpleString):
                flag = str(arg.value.evaluated_value)
                self.existing_flags.add(flag)
                self.existing_dests.add(flag.lstrip("-").replace("-", "_"))

    def taken(self, name: str) -> str | None:
        if name in self.existing_dests or f"--{name.replace('_', '-')}" in self.existing_flags:
            return "is already a flag of the parser"
        if name in ("help", "h"):
            return "is argparse's own flag"
        return None

    def _row(self, node: cst.CSTNode) -> int:
        from libcst.metadata import PositionProvider

        if not hasattr(self, "_positions"):
            self._positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        return self._positions[node].start.line

    def _function_of(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, cst.Module):
            if isinstance(current, cst.FunctionDef):
                return current
            current = self.parents.get(current)
        return None

    def _check_reach(self) -> None:
        """Every moved value must be evaluated where the parsed namespace exists."""
        contexts = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(ExpressionContextProvider)
        binders = {
            id(self._function_of(node))
            for node, context in contexts.items()
            if isinstance(node, cst.Name) and node.value == self.args and context in (ExpressionContext.STORE, ExpressionContext.DEL)
        }
        parse_row = self._row(self.parse_statement) if self.parse_statement is not None else None
        guard_index = self.module.body.index(self.guard) if self.guard is not None else None
        for item in self.gathered.items:
            where = f"line {item.row}"
            if self.guard is not None and item.function is None:
                if item.statement != guard_index:
                    raise Refusal(
                        f"{where}: the value is used at import, before any flags are parsed; "
                        "use --to constants, dataclass or toml"
                    )
                continue
            if self.guard is None and item.function is self.parse_function:
                if parse_row is not None and item.row <= parse_row:
                    raise Refusal(f"{where}: the value is used before the flags are parsed (line {parse_row})")
                continue
            if item.function is None:
                raise Refusal(
                    f"{where}: the value is used at import, where `{self.args}` (parsed in "
                    f"`{self.parse_function.name.value}`) does not exist; use --to constants, dataclass or toml"
                )
            # A function of its own: it reads the module's namespace, or takes it as a parameter.
            function = item.function
            if _has_param(function, self.args):
                continue
            if self.parse_function is None and id(function) not in binders and not self._inside_binder(function, binders):
                continue
            raise Refusal(
                f"{where}: `{self.args}` (the parsed flags) does not reach `{function.name.value}`; "
                "pass it in, or use --to constants, dataclass or toml"
            )

    def _inside_binder(self, function: cst.FunctionDef, binders: set[int]) -> bool:
        current: cst.CSTNode | None = function
        while current is not None:
            if isinstance(current, cst.FunctionDef) and id(current) in binders:
                return True
            current = self.parents.get(current)
        return False

    def reference(self, setting: Setting) -> str:
        return f"{self.args}.{setting.name}"

    def imports(self) -> list[str]:
        if self.guard is not None and not _imports_module(self.module, "argparse"):
            return ["import argparse"]
        return []

    def block(self) -> str:
        return ""

    def _add_arguments(self) -> list[str]:
        lines = []
        for s in self.settings:
            kind = s.value
            extra = ""
            if isinstance(kind, (tuple, list)):
                kinds = {type(v) for v in kind}
                if len(kinds) != 1 or not kind:
                    raise Refusal(f"line {s.items[0].row}: `{s.key}={s.text}` mixes types; argparse cannot type it")
                extra = f"nargs={len(kind)}, "
                kind = kind[0]
            flag = json.dumps("--" + s.name.rstrip("_").replace("_", "-"))
            help_text = json.dumps(f"{s.callee} {s.key}" if s.callee != "loop" else "number of epochs")
            kind_name = type(kind).__name__
            lines.append(f"{self.parser}.add_argument({flag}, {extra}type={kind_name}, default={s.text}, help={help_text})")
        return lines

    def statements_before(self) -> dict[int, list[str]]:
        return {} if self.guard is not None else {id(self.parse_statement): self._add_arguments()}

    def statements_into(self) -> dict[int, list[str]]:
        if self.guard is None:
            return {}
        lines = [f"{self.parser} = argparse.ArgumentParser()", *self._add_arguments(), f"{self.args} = {self.parser}.parse_args()"]
        return {id(self.guard): lines}


class _ParseArgs(cst.CSTVisitor):
    """`ARGS = PARSER.parse_args(...)` statements and the `PARSER.add_argument(...)` calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[cst.SimpleStatementLine, str, str]] = []
        self.add_argument_calls: dict[str, list[cst.Call]] = {}
        self.known_args = False
        self._line: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "parse_args"
            and isinstance(value.func.value, cst.Name)
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and self._line is not None
        ):
            self.calls.append((self._line, node.targets[0].target.value, value.func.value.value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            if func.attr.value == "add_argument":
                self.add_argument_calls.setdefault(func.value.value, []).append(node)
            elif func.attr.value == "parse_known_args":
                self.known_args = True


def _main_guard(module: cst.Module) -> cst.If | None:
    for statement in module.body:
        if isinstance(statement, cst.If) and re.fullmatch(
            r"""__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__""",
            cst.Module([]).code_for_node(statement.test).strip(),
        ):
            return statement
    return None


def _has_param(function: cst.FunctionDef, name: str) -> bool:
    params = function.params
    return any(p.name.value == name for p in (*params.posonly_params, *params.params, *params.kwonly_params))


def _lines_as_statements(lines: list[str]) -> list[cst.BaseStatement]:
    return _statements("".join(line + "\n" for line in lines))


# -- toml ----------------------------------------------------------------------------------------


class _Toml(_Builder):
    def __init__(self, gathered: Gathered) -> None:
        self.existing_keys: set[str] = set()
        super().__init__(gathered)
        self.variable = self.free_module_name("HYPERPARAMETERS", "TOML_HYPERPARAMETERS")
        for module_name in ("tomllib", "pathlib"):
            if module_name in self.names and not _imports_module(self.module, module_name) and not (
                module_name == "tomllib" and _imports_tomllib(self.module)
            ):
                raise Refusal(f"`{module_name}` is already used in the file for something other than the module")
        for s in self.settings:
            if _has_comment(s.text):
                raise Refusal(f"line {s.items[0].row}: `{s.key}`'s literal has comments inside; a TOML value cannot keep them")

    def locate(self, toml_path: Path, script_path: Path, toml_text: str | None) -> None:
        tomllib = _tomllib()
        self.table = snake(script_path.stem)
        self.relative = Path(_relative(toml_path, script_path.parent)).as_posix()
        document: dict = {}
        if toml_text is not None:
            try:
                document = tomllib.loads(toml_text)
            except tomllib.TOMLDecodeError as error:
                raise Refusal(f"{toml_path} is not valid TOML ({error})") from None
        if self.table in document:
            raise Refusal(f"{toml_path} already has a [{self.table}] table; remove it or pick another file")
        lines = [f"[{self.table}]"]
        for s in self.settings:
            lines.append(f"{s.name} = {_toml_value(s)}")
        before = toml_text or ""
        separator = "" if not before else ("\n" if before.endswith("\n\n") else ("\n\n" if not before.endswith("\n") else "\n"))
        out = before + separator + "\n".join(lines) + "\n"
        loaded = tomllib.loads(out)[self.table]
        for s in self.settings:
            value = loaded[s.name]
            if isinstance(s.value, tuple):
                value = tuple(value)
            if value != s.value or type(value) is not type(s.value):  # pragma: no cover - _toml_value checks
                raise Refusal(f"line {s.items[0].row}: `{s.text}` does not survive TOML")
        self.toml_out = out

    def reference(self, setting: Setting) -> str:
        ref = f"{self.variable}[{setting.name!r}]".replace("'", '"')
        return f"tuple({ref})" if isinstance(setting.value, tuple) else ref

    def imports(self) -> list[str]:
        lines = []
        if not _imports_module(self.module, "pathlib"):
            lines.append("import pathlib")
        if "tomllib" not in self.names:
            lines.append(
                "try:\n    import tomllib\nexcept ModuleNotFoundError:  # Python < 3.11\n    import tomli as tomllib"
            )
        return lines

    def block(self) -> str:
        return (
            f'{self.variable} = tomllib.loads(\n'
            f'    pathlib.Path(__file__).parent.joinpath("{self.relative}").read_text(encoding="utf-8")\n'
            f')["{self.table}"]\n'
        )


def _imports_tomllib(module: cst.Module) -> bool:
    """`import tomllib`, or the `try: import tomllib / except: import tomli as tomllib` idiom."""
    if _imports_module(module, "tomllib"):
        return True
    return any(
        isinstance(statement, cst.Try) and "import tomllib" in module.code_for_node(statement)
        for statement in module.body
    )


def _relative(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(os.path.abspath(path), os.path.abspath(start))


def _has_comment(text: str) -> bool:
    if "#" not in text:
        return False
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return True


def _tomllib():
    # Imported here: HPL101's fix (`--to constants` on every check) must not load it.
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def _toml_value(setting: Setting) -> str:
    """The literal as TOML: its own text when TOML reads it as the same value, else Python's repr
    of the value (a TOML array for a tuple or list)."""
    tomllib = _tomllib()
    value = setting.value
    candidates = [setting.text, _toml_repr(value)]
    for text in candidates:
        if text is None:
            continue
        try:
            loaded = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            continue
        expected = list(value) if isinstance(value, tuple) else value
        if loaded == expected and _same_types(loaded, expected):
            return text
    raise Refusal(f"line {setting.items[0].row}: `{setting.text}` has no exact TOML spelling")


def _same_types(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b))
    return type(a) is type(b)


def _toml_repr(value: object) -> str | None:
    import math

    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (tuple, list)):
        parts = [_toml_repr(v) for v in value]
        return None if None in parts else "[" + ", ".join(parts) + "]"  # type: ignore[arg-type]
    return None


_BUILDERS: dict[str, Callable[[Gathered], _Builder]] = {
    "constants": _Constants,
    "dataclass": _Dataclass,
    "argparse": _Argparse,
    "toml": _Toml,
}

__all__ = ["TARGETS", "Refusal", "Rewritten", "extract", "Hyperparameter", "parse"]
