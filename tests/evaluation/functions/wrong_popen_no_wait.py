"""Start a CSV export of the day's orders; the client polls for the file later."""

import subprocess
import sys
import tempfile
from pathlib import Path

import lastword

EXPORTER = """
import sys, time
time.sleep(0.8)
with open(sys.argv[1], "w") as out:
    out.write("id,total\\n1,9.50\\n")
"""


@lastword.http
def start_export(request):
    job = request.args.get("job", "daily")
    target = Path(tempfile.gettempdir()) / f"eval-export-{job}.csv"
    subprocess.Popen([sys.executable, "-c", EXPORTER, str(target)], stdout=subprocess.DEVNULL)
    return {"export": str(target), "status": "started"}, 202
