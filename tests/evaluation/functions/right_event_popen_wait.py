"""Background function: compress the rotated log named in the message with gzip."""

import base64
import subprocess
import sys
import tempfile
from pathlib import Path

GZIP = "import gzip, shutil, sys; shutil.copyfileobj(open(sys.argv[1], 'rb'), gzip.open(sys.argv[1] + '.gz', 'wb'))"


def compress_log(data, context):
    name = base64.b64decode(data["data"]).decode().strip() or "app.log"
    path = Path(tempfile.gettempdir()) / f"eval-{Path(name).name}"
    path.write_text("line\n" * 1000)
    proc = subprocess.Popen([sys.executable, "-c", GZIP, str(path)])
    returncode = proc.wait(timeout=30)
    if returncode != 0:
        raise RuntimeError(f"gzip failed with status {returncode}")
    print(f"event {context.event_id}: compressed {path}")
