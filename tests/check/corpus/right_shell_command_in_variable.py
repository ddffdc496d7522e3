import shlex
import subprocess

import functions_framework


@functions_framework.http
def export_report(request):
    name = shlex.quote(request.args.get("name", "daily"))
    command = f"python export.py --report {name} > /tmp/{name}.log 2>&1"
    subprocess.run(command, shell=True, check=True)
    return "exported"
