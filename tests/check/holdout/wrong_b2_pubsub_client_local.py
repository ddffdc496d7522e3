import json

import functions_framework
from google.cloud import pubsub_v1


@functions_framework.http
def forward(request):
    client = pubsub_v1.PublisherClient()
    topic = client.topic_path("acme", "forwarded")
    client.publish(topic, json.dumps(request.get_json()).encode())  # expect: LW103
    return "forwarded"
