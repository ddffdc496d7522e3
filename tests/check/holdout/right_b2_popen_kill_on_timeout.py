import subprocess

import functions_framework


@functions_framework.http
def render_video(request):
    job = request.get_json()
    proc = subprocess.Popen(["blender", "-b", job["scene"], "-a"])
    try:
        proc.wait(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return "render timed out", 504
    return {"exit_code": proc.returncode}
