"""Record a sign-up in Segment and make sure the event is delivered before answering."""

import segment.analytics as analytics

import lastword

analytics.write_key = "eval-write-key"


@lastword.http
def signed_up(request):
    user = request.get_json(silent=True) or {}
    user_id = user.get("id", "anonymous")
    analytics.identify(user_id, {"email": user.get("email"), "plan": user.get("plan", "free")})
    analytics.track(user_id, "Signed Up", {"plan": user.get("plan", "free")})
    analytics.flush()
    return {"tracked": user_id}
