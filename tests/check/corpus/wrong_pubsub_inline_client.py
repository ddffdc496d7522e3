import functions_framework
from google.cloud import pubsub_v1


@functions_framework.cloud_event
def forward(cloud_event):
    data = cloud_event.data["message"]["data"]
    pubsub_v1.PublisherClient().publish("projects/p/topics/t", data.encode())  # expect: LW103
