import subprocess

import functions_framework


@functions_framework.http
def transcode(request):
    proc = subprocess.Popen(["ffmpeg", "-i", request.args["src"], "/tmp/out.mp4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=120)
    if proc.returncode != 0:
        return err.decode(), 500
    return "done"
