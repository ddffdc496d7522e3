import functions_framework


@functions_framework.http
def greet(request):
    data = request.get_json(silent=True)
    if not data:
        return  # expect: LW302
    return f"Hello {data['name']}"
