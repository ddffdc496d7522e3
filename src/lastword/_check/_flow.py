"""The walk of one function: parameters in, leftovers, returned work and LW302 out.

Calls into the checked code use a summary of the callee (is it a coroutine function,
what running work does it return, which parameters does it finish), computed the same
way and cached by the engine.
"""

from __future__ import annotations

import ast

from ._names import dotted
from ._project import FunctionRef
from ._stmts import StmtFlow
from ._work import PARAM, RULE_OF, Analysis, short


class FunctionFlow(StmtFlow):
    """The walk of one function body."""

    def __init__(
        self,
        analysis: Analysis,
        ref: FunctionRef,
        *,
        entry: bool = False,
        http_entry: bool = False,
        detail: str = "",
    ) -> None:
        super().__init__(analysis, ref, http_entry=http_entry, entry=entry)
        self.detail = detail
        """Added to every leftover reported here (why work started here is left running)."""

    def run(self) -> None:
        self.bind_params()
        self.walk(self.node.body)
        if self.state.reachable:
            self.exit(None, frozenset())
            if not self.generator:
                self.may_return_none = True
                if self.checks_none():
                    how = (
                        "can reach its end without a return"
                        if self.reached_return
                        else "has no return statement"
                    )
                    self.report(
                        self.node, "LW302", f"HTTP function `{self.node.name}` {how}, so it"
                    )
        for leaked_id in sorted(self.leaked):
            leaked = self.items[leaked_id]
            detail = "; ".join(d for d in (self.detail, leaked.detail) if d)
            what = leaked.what or short(leaked.node)
            self.report(leaked.node, RULE_OF[leaked.kind], what, detail, leaked.fix)

    def bind_params(self) -> None:
        args = self.node.args
        all_args = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        skip_first = self.ref.cls is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in self.node.decorator_list
        )
        for index, arg in enumerate(all_args):
            if skip_first and index == 0:
                continue
            self.params.append(arg.arg)
            self.local_names.add(arg.arg)
            item = self.new_item(PARAM, arg, "", live=True)
            self.items[item].param = arg.arg
            self.state.env[arg.arg] = frozenset({item})
            if arg.annotation is not None:
                ann = self.qual(arg.annotation) or dotted(arg.annotation)
                if ann:
                    self.local_types[arg.arg] = ann


__all__ = ["FunctionFlow"]
