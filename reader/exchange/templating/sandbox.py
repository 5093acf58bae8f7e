"""Jinja2 for export templates, run as untrusted code: a template may come from anyone.

The environment is Jinja's immutable sandbox (no attribute starting with `_`, no method that
changes a list or dict, `range` of at most 100,000 items), with StrictUndefined so a misspelt
variable is an error rather than an empty string, and with bounds on what one rendering may
cost: `MAX_STEPS` lines of the compiled template run (a loop over ranges in ranges ends),
`MAX_CHARS` characters of output or in any one value (a string doubled in a loop ends).
Every failure is a `TemplateFailure`: one line naming the file and, where known, the line.
"""

from __future__ import annotations

import operator
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from types import FrameType, TracebackType
from typing import Any

from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from reader.errors import UsageError
from reader.exchange.escaping import (
    escape_block,
    escape_line,
    indented,
    note_lines,
    tag_token,
    yaml_string,
)
from reader.exchange.templating import bounds

MAX_STEPS = 5_000_000
"""Lines of compiled template code one export may run (a second or two of work), and
`STEPS_PER_HIGHLIGHT` more for each highlight it holds."""
STEPS_PER_HIGHLIGHT = 500
MAX_CHARS = 64 * 2**20
"""Characters one export may write, and the longest value a template may build."""
CODE_NAME = "<reader template>"
"""The file name Python gives the compiled template's code: how its frames are told apart."""
_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")


class TemplateFailure(UsageError):
    """A template that cannot be used or failed while rendering (exit 2, one line)."""


def _block_id(value: Any) -> str:
    """`^hl-…` without its caret: a highlight's block id (from the highlight or its id)."""
    if isinstance(value, Mapping):
        return str(value["block_id"])
    return f"hl-{str(value)[:12]}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


FILTERS: dict[str, Callable[..., str]] = {
    "md_escape": lambda v: escape_block(_text(v)),
    "md_line": lambda v: escape_line(_text(v)),
    "quote_block": lambda v, prefix="> ": escape_block(_text(v), str(prefix)),
    "yaml": lambda v: yaml_string(_text(v)),
    "hashtag": lambda v: tag_token(_text(v)),
    # a note is the user's Markdown: kept as such, each line behind `prefix` (empty: no note)
    "note_block": lambda v, prefix="> > ": indented(note_lines(_text(v)), str(prefix)),
    "block_id": _block_id,
}
"""Filters for safe output: article text is untrusted, so a template escapes what it writes."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0


class _Budget:
    """The steps left to one rendering, counted on the template's own lines only."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def global_trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        return self.line_trace if frame.f_code.co_filename == CODE_NAME else None

    def line_trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            self.left -= 1
            if self.left < 0:
                raise TemplateFailure("ran too long (a loop without end?)")
        return self.line_trace


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, with `a ~ b` measured before it is joined (`_Environment.concat`)."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _refuse(what: str) -> TemplateFailure:
    return TemplateFailure(what)


def _too_long(size: int) -> None:
    if size > MAX_CHARS:
        raise TemplateFailure("a value longer than the export limit is refused")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with the size of what `*`, `**`, `%`, `~`, attribute reads, filters and
    `str` methods make bounded before it is made."""

    intercepted_binops = frozenset(["*", "**", "%"])
    code_generator_class = _CodeGenerator

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and callable(__obj):
            name = getattr(__obj, "__name__", "")
            if bounds.str_method(owner, name, args, kwargs, MAX_CHARS) > MAX_CHARS:
                raise TemplateFailure(f"`{name}` would make a value longer than the export limit")
        return super().call(__context, __obj, *args, **kwargs)

    def concat(self, values: tuple[Any, ...]) -> str:
        _too_long(sum(bounds.weight(v, MAX_CHARS) for v in values))
        return "".join(map(str, values))

    def finalize_output(self, value: Any) -> Any:
        if not isinstance(value, str):
            _too_long(bounds.weight(value, MAX_CHARS))
        return value

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 1024:
                raise TemplateFailure("a power over 1024 is refused")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and not isinstance(times, bool):
                    _too_long(bounds.weight(seq, MAX_CHARS) * times)
            return operator.mul(left, right)
        if isinstance(left, str) and any(
            int(w or 0) > MAX_CHARS for m in _FORMAT_WIDTH.finditer(left) for w in m.groups()
        ):
            raise TemplateFailure("a format width over the export limit is refused")
        if isinstance(left, str):
            _too_long(bounds.formatted(left, right, MAX_CHARS))
        return operator.mod(left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = _bounded(super().getattr(obj, attribute))
        if isinstance(obj, str) and attribute in ("format", "format_map") and callable(value):
            return _format_checked(obj, attribute, value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _bounded(super().getitem(obj, argument))


def _format_checked(text: str, name: str, method: Callable[..., str]) -> Callable[..., str]:
    """`text.format` as the sandbox gives it, measured before it runs."""

    def checked(*args: Any, **kwargs: Any) -> str:
        if bounds.str_method(text, name, args, kwargs, MAX_CHARS) > MAX_CHARS:
            raise TemplateFailure(f"`{name}` would make a value longer than the export limit")
        return method(*args, **kwargs)

    return checked


def _bounded(value: Any) -> Any:
    if _size(value) > MAX_CHARS:
        raise TemplateFailure("a value longer than the export limit is refused")
    return value


def _only(source: str, wanted: str) -> tuple[str, str, Callable[[], bool]] | None:
    """The loader's answer: the template itself (no include or import reaches a file)."""
    return (source, CODE_NAME, lambda: True) if wanted == "" else None


def load(source: str, name: str) -> Template:
    """`source` compiled as a template; `name` is how messages call it."""
    env = _Environment(
        loader=FunctionLoader(lambda wanted: _only(source, wanted)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    for grows in bounds.BOUNDED_FILTERS:
        env.filters[grows] = bounds.bounded_filter(grows, env.filters[grows], _limit, _refuse)
    for wide in ("center", "indent", "wordwrap", "truncate", "format"):
        env.filters[wide] = _width_checked(env.filters[wide])
    env.finalize = env.finalize_output
    try:
        return env.get_template("")
    except TemplateSyntaxError as error:
        what = error.message or "syntax error"
        raise TemplateFailure(_message(name, error.lineno, what)) from None
    except TemplateError as error:
        raise TemplateFailure(_message(name, None, str(error))) from None


def _limit() -> int:
    return MAX_CHARS


def _width_checked(original: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numeric arguments (widths) cannot ask for more than the limit."""

    def checked(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and value > MAX_CHARS:
                raise TemplateFailure("a width over the export limit is refused")
        return original(*args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(original, attr):
            setattr(checked, attr, getattr(original, attr))
    return checked


def render(
    template: Template, name: str, contexts: list[dict[str, Any]], steps: int | None = None
) -> list[str]:
    """`template` rendered with each of `contexts`, within `steps` lines (default: by the
    number of highlights) and `MAX_CHARS` characters in all; any failure is one
    `TemplateFailure` line."""
    limit = MAX_CHARS
    if steps is None:
        highlights = sum(len(c["highlights"]) for c in contexts)
        steps = MAX_STEPS + STEPS_PER_HIGHLIGHT * highlights
    budget = _Budget(steps)
    previous = sys.gettrace()
    sys.settrace(budget.global_trace)
    written = 0
    outputs = []
    try:
        for context in contexts:
            pieces = []
            for piece in _generate(template, context):
                written += len(piece)
                if written > limit:
                    raise TemplateFailure(f"wrote more than {limit:,} characters")
                pieces.append(piece)
            outputs.append("".join(pieces))
    except (TemplateFailure, TemplateError, *RUNTIME_ERRORS) as error:
        line = _template_line(error.__traceback__)
        raise TemplateFailure(_message(name, line, _what(error))) from None
    finally:
        sys.settrace(previous)
    return outputs


RUNTIME_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, RecursionError, MemoryError)
"""What a template's own expressions can raise (`1 / 0`, `"a" + 1`, `[][3]`)."""


def _what(error: Exception) -> str:
    if isinstance(error, TemplateFailure | UndefinedError):
        return str(error)
    if isinstance(error, TemplateNotFound):
        return f"cannot include {error.name!r}: a template reads no other file"
    if isinstance(error, SecurityError):
        return f"not allowed: {error}"
    if isinstance(error, TemplateError):
        return str(error) or type(error).__name__
    return f"{type(error).__name__}: {error}"


def _generate(template: Template, context: dict[str, Any]) -> Iterator[str]:
    yield from template.generate(context)


def _template_line(trace: TracebackType | None) -> int | None:
    """The template line an error came from: Jinja rewrites the traceback so that the
    template's frames carry its own line numbers."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == CODE_NAME:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _message(name: str, line: int | None, what: str) -> str:
    where = f"template {name}" + (f" line {line}" if line else "")
    first = (what.strip().splitlines() or ["failed"])[0]
    return f"{where}: {first}"
