"""Callbacks a web framework runs around the response (Flask ``after_this_request``,
``call_on_close``): does a callback do more than edit the response and log?"""

from __future__ import annotations

import ast

from . import _known as K
from ._core import FlowCore
from ._effects import Effect
from ._names import dotted, last_name
from ._project import FunctionRef

AFTER_THIS_REQUEST_DETAIL = (
    "it is started in the after_this_request callback `{name}`, which Flask runs before it "
    "sends the response, and nothing waits for it there"
)


def real_work(node: ast.AST | None) -> bool:
    """Does a callback call anything but methods of the response, loggers and builtins?
    (An unknown callback counts as real work.)"""
    if node is None:
        return True
    body: list[ast.AST]
    if isinstance(node, ast.Lambda):
        body = [node.body]
        params = node.args.args
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = list(node.body)
        params = node.args.args
    else:
        return True
    response = params[0].arg if params else ""
    stack = body
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.Await):
            return True
        if isinstance(cur, ast.Call):
            name = dotted(cur.func) or ""
            head = name.partition(".")[0]
            last = name.rsplit(".", 1)[-1]
            cheap = (
                (response and head == response)
                or head in K.LOG_NAMES
                or (last in K.LOG_METHODS and "." in name)
                or (name in K.CHEAP_BUILTINS)
            )
            if not cheap:
                return True
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(cur))
    return False


class HookFlow(FlowCore):
    """Callbacks that a function attaches to its response."""

    def callback_node(self, expr: ast.expr) -> ast.AST | None:
        if isinstance(expr, ast.Lambda):
            return expr
        if isinstance(expr, ast.Name) and expr.id in self.local_funcs:
            return self.local_funcs[expr.id]
        ref = self.resolve_call(expr)
        if isinstance(ref, FunctionRef):
            return ref.node
        return None

    def before_response(self, callback: ast.AST | None, where: ast.AST, what: str) -> None:
        """A Flask ``after_this_request`` callback runs before the response is sent: what
        it does delays the response (an opt-in hint), what it starts is a leftover."""
        if isinstance(callback, (ast.FunctionDef, ast.AsyncFunctionDef)):
            detail = AFTER_THIS_REQUEST_DETAIL.format(name=callback.name)
            self.analysis.run_hook(FunctionRef(self.module, callback, None), detail)
        if real_work(callback):
            self.report(where, "LW203", what)

    def flask_decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            expr = deco.func if isinstance(deco, ast.Call) else deco
            if isinstance(expr, ast.Attribute) and _effect_of_method(expr.attr) is Effect.ON_CLOSE:
                if real_work(node):
                    self.report(deco, "LW202", f"call_on_close callback `{node.name}`")
                continue
            row = K.TABLE.function(self.qual(expr) or "")
            if (row is not None and row.effect is Effect.BEFORE_RESPONSE) or last_name(
                expr
            ) == "after_this_request":
                self.before_response(node, deco, f"after_this_request callback `{node.name}`")


def _effect_of_method(name: str) -> Effect | None:
    """The effect of a method the table knows for any receiver (``call_on_close``)."""
    rows = K.TABLE.by_method.get(name, ())
    return next((row.effect for row in rows if not row.conditional), None)
