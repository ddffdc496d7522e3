"""The rule table: stable codes, names and the one-line messages users read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    message: str  # a template with ``{what}``
    default: bool = True
    """Reported unless ignored; ``False``: an opt-in hint, reported only when selected by
    its own code (or ``ALL``)."""

    @property
    def hint(self) -> bool:
        return not self.default

    def format(self, what: str, detail: str = "", fix: str = "") -> str:
        """The message: what is wrong, why it matters, then how to fix it (after the first
        ``": "`` of the template). ``detail`` says more about this case, before the fix;
        ``fix`` replaces the rule's own advice where a library needs another one."""
        if not detail and not fix:
            return self.message.format(what=what)
        problem, _, advice = self.message.partition(": ")
        text = problem.format(what=what)
        if detail:
            text += f"; {detail}"
        return f"{text}: {fix or advice.format(what=what)}"


_RULES = (
    Rule(
        "LW001",
        "syntax-error",
        "The file could not be parsed.",
        "could not parse this file ({what}); lastword check could not check it "
        "and the platform will fail to import it: fix the syntax error",
    ),
    Rule(
        "LW101",
        "task-not-awaited",
        "An asyncio task is still running when the function returns.",
        "asyncio task `{what}` can still be running when the function returns; after the "
        "response the CPU is taken away, so it may be frozen or never finish: await it "
        "(or asyncio.gather the tasks) before returning, or pass it to lastword.wait_until()",
    ),
    Rule(
        "LW102",
        "loop-callback-scheduled",
        "A loop callback is scheduled to run later, after the response.",
        "`{what}` schedules a callback that runs after the function returns; after the "
        "response the CPU is taken away, so it may never run: call the work directly and "
        "await it, or cancel the handle before returning",
    ),
    Rule(
        "LW103",
        "future-not-resolved",
        "Work submitted to an executor or client returns a future nobody waits for.",
        "`{what}` returns a future that is not waited for before the function returns; "
        "after the response the CPU is taken away, so the work may never complete: call "
        ".result() on it (or concurrent.futures.wait / await it), or use a `with` executor "
        "block",
    ),
    Rule(
        "LW104",
        "thread-not-joined",
        "A thread or timer is still running when the function returns.",
        "thread `{what}` is not joined before the function returns; after the response the "
        "CPU is taken away, so it may be frozen mid-way and never finish: call .join() on it "
        "on every path before returning (or cancel the timer)",
    ),
    Rule(
        "LW105",
        "process-not-waited",
        "A child process is still running when the function returns.",
        "child process `{what}` is not waited for before the function returns; after the "
        "response it may be frozen or killed half-way: call .wait() / .communicate() on it "
        "before returning, or use subprocess.run()",
    ),
    Rule(
        "LW201",
        "background-task-after-response",
        "A Starlette background task is attached to run after the response.",
        "`{what}` runs after the response has been sent, when the platform takes the CPU "
        "away, so it may be frozen or never run: do the work (await it) before returning "
        "the response",
    ),
    Rule(
        "LW202",
        "work-on-close",
        "A Flask call_on_close callback does real work after the response.",
        "`{what}` runs when the response is closed, after it was sent, when the platform takes "
        "the CPU away, so it may never run: do the work before returning the response",
    ),
    Rule(
        "LW203",
        "work-in-after-this-request",
        "Opt-in performance hint: a Flask after_this_request callback does slow work before "
        "the response is sent.",
        "{what} does more than edit the response: Flask runs it before it sends the response, "
        "so the client waits for it (it is not background work, and nothing is lost); if the "
        "work is slow and the client need not wait, do it in the function body and say so, or "
        "accept the delay",
        default=False,
    ),
    Rule(
        "LW301",
        "returns-awaitable",
        "The entry point returns an awaitable instead of a response.",
        "the function returns `{what}`, an awaitable, instead of a response; the framework "
        "does not await it, so that work never runs or is cut off after the response: make "
        "the function async and `await` it, then return the response",
    ),
    Rule(
        "LW302",
        "returns-none",
        "A path of an HTTP function returns None instead of a response.",
        "{what} returns None instead of a response; the request fails with a 500 error: "
        "return a response (body, status) on every path",
    ),
    Rule(
        "LW401",
        "coroutine-not-awaited",
        "A coroutine is created but never awaited, so its work never runs.",
        "coroutine `{what}` is never awaited, so its work never runs (Python only warns at "
        "run time): add `await`, or pass it to asyncio.gather() or lastword.wait_until()",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
DEFAULT_RULES = frozenset(code for code, rule in RULES.items() if rule.default)
DOCS_PAGE = "docs/check-rules/{code}.md"


def rule_doc(code: str) -> str:
    """The path of a rule's documentation page inside the lastword repository."""
    return DOCS_PAGE.format(code=code)
