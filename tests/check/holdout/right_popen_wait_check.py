import subprocess

import functions_framework


@functions_framework.http
def backup_db(request):
    target = request.args.get("target", "/tmp/dump.sql")
    with open(target, "wb") as out:
        proc = subprocess.Popen(["pg_dump", "--no-owner", "appdb"], stdout=out)
        code = proc.wait(timeout=300)
    if code != 0:
        return f"pg_dump failed with {code}", 500
    return f"dumped to {target}"
