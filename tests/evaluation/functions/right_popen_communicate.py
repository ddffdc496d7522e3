"""Syntax-check a Python snippet in a separate interpreter, with a time limit."""

import subprocess
import sys

CHECKER = "import ast, sys; ast.parse(sys.stdin.read())"


def lint_snippet(request):
    code = request.get_data(as_text=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHECKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, errors = proc.communicate(code, timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"error": "the check took too long"}, 504
    if proc.returncode != 0:
        return {"ok": False, "error": errors.strip().splitlines()[-1]}, 422
    return {"ok": True}
