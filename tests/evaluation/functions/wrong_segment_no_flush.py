"""Record that a user upgraded their plan, in Segment."""

import segment.analytics as analytics

analytics.write_key = "eval-write-key"


def plan_upgraded(request):
    change = request.get_json(silent=True) or {}
    user_id = change.get("user", "anonymous")
    analytics.track(user_id, "Plan Upgraded", {"from": change.get("from"), "to": change.get("to")})
    return {"ok": True}
