import subprocess
import tempfile

import functions_framework


@functions_framework.http
def render_svg(request):
    svg = request.get_data()
    with tempfile.NamedTemporaryFile(suffix=".svg") as src:
        src.write(svg)
        src.flush()
        completed = subprocess.run(
            ["rsvg-convert", "-f", "png", src.name],
            check=True,
            capture_output=True,
            timeout=30,
        )
    return completed.stdout, 200, {"Content-Type": "image/png"}
