import functions_framework


async def render_report(request) -> str:
    return "report"


@functions_framework.http
def report(request):
    return render_report(request)  # expect: LW301
