import subprocess

import functions_framework


@functions_framework.http
def version(request):
    result = subprocess.run(["git", "--version"], capture_output=True, text=True, check=True)
    return result.stdout
