import subprocess

import functions_framework


@functions_framework.http
def render(request):
    with subprocess.Popen(["wkhtmltopdf", request.args["url"], "/tmp/o.pdf"]) as proc:
        pass
    return f"exit {proc.returncode}"
