import functions_framework
import functions_framework.aio


@functions_framework.http
def sync_hello(request):
    return "ff sync " + request.method


@functions_framework.aio.http
async def async_hello(request):
    return "ff async " + request.method
