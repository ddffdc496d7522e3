import functions_framework
from segment.analytics import Client

segment = Client("write-key")


@functions_framework.http
def checkout(request):
    order = request.get_json()
    segment.track(order["user"], "Order Completed", {"total": order["total"]})
    segment.flush()
    return "ok"
