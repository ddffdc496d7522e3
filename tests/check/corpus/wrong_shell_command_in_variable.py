import os
import shlex

import functions_framework


@functions_framework.http
def export_report(request):
    name = shlex.quote(request.args.get("name", "daily"))
    command = f"python export.py --report {name} > /tmp/{name}.log 2>&1 &"
    os.system(command)  # expect: LW105
    return "export started", 202
