import logging

import functions_framework
import google.cloud.logging
from google.cloud.logging.handlers import CloudLoggingHandler

from orders import place

client = google.cloud.logging.Client()
logger = logging.getLogger("orders")
logger.addHandler(CloudLoggingHandler(client, name="orders"))
logger.setLevel(logging.INFO)


@functions_framework.http
def order(request):
    order_id = place(request.get_json())  # expect: LW104
    return {"order": order_id}
