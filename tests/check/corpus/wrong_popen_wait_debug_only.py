import subprocess

import functions_framework


@functions_framework.http
def render(request):
    proc = subprocess.Popen(["wkhtmltopdf", request.args["url"], "/tmp/out.pdf"])  # expect: LW105
    if request.args.get("debug"):
        proc.wait()
    return "rendering"
