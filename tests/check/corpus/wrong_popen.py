import subprocess

import functions_framework


@functions_framework.http
def transcode(request):
    src = request.args["src"]
    subprocess.Popen(["ffmpeg", "-i", src, "/tmp/out.mp4"])  # expect: LW105
    return "started"
