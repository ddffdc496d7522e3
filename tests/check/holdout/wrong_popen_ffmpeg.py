import subprocess
import tempfile

import functions_framework


@functions_framework.http
def transcode(request):
    src = request.args["src"]
    out = tempfile.mktemp(suffix=".mp4")
    subprocess.Popen(  # expect: LW105
        ["ffmpeg", "-y", "-i", src, "-c:v", "libx264", out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return {"output": out}, 202
