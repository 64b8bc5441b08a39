"""What `with manager as x` binds to `x`.

A library manager says what its `__enter__`/`__aenter__` hands back; a
generator-based one (`@contextmanager`, `@asynccontextmanager`) hands back
what it yields; a project class, what its own `__enter__` or `__aenter__`
returns (awaited for `async with`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asynclint import typeforms
from asynclint.summary import FunctionInfo
from asynclint.values import (
    NONE,
    UNKNOWN,
    ContextManager,
    FunctionRef,
    Instance,
    LibraryInstance,
    Value,
    join,
    qualname_of_value,
)

if TYPE_CHECKING:
    from asynclint.infer import Inference


def entered(inference: Inference, manager: Value, is_async: bool) -> Value:
    """The value `with manager as x` (or `async with`) binds to `x`."""
    if isinstance(manager, LibraryInstance):
        return inference.library_instance(manager.spec.enters)
    if isinstance(manager, ContextManager) and manager.factory is not None:
        return yielded(inference, manager.factory)
    if isinstance(manager, Instance):
        method = inference.instance_attribute(
            manager.klass, "__aenter__" if is_async else "__enter__"
        )
        if isinstance(method, FunctionRef):
            result = inference.function_result(method.function)
            return inference.awaited(result) if is_async else result
    return UNKNOWN


def yielded(inference: Inference, generator: FunctionInfo) -> Value:
    """What a generator-based context manager hands to `as`: its
    annotation's item type (`AsyncIterator[Client]`), else its yields."""
    outer = generator.parent if generator.parent is not None else generator.module
    with inference.guard((id(generator), "yield")) as ok:
        if not ok:
            return UNKNOWN
        returns = generator.node.returns
        if isinstance(returns, ast.Subscript):
            container = qualname_of_value(inference.value(returns.value, outer))
            if container in typeforms.GENERATOR_TYPES:
                args = returns.slice
                item = args.elts[0] if isinstance(args, ast.Tuple) else args
                return inference.annotation(item, outer)
        values = [
            NONE if node.value is None else inference.value(node.value, generator)
            for node in generator.yields
        ]
        return join(values) if values else UNKNOWN
