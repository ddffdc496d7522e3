import functions_framework
from events import publish_event


@functions_framework.http
def create_user(request):
    user = request.get_json()
    if "email" not in user:
        return {"error": "email required"}, 400
    publish_event("user.created", {"email": user["email"]})  # expect: LW103
    return {"created": user["email"]}, 201
