import lastword

from .cleanup import schedule_cleanup


@lastword.http
async def export(request):
    path = "/tmp/export.csv"
    schedule_cleanup(path)
    return {"path": path}
