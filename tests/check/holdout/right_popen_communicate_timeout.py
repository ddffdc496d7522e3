import subprocess

import functions_framework


@functions_framework.http
def lint(request):
    code = request.get_data(as_text=True)
    proc = subprocess.Popen(
        ["ruff", "check", "--stdin-filename", "snippet.py", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        out, _ = proc.communicate(code, timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return "timed out", 504
    return {"output": out, "returncode": proc.returncode}
