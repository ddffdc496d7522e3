"""The smallest lastword function: `lastword serve examples/hello/main.py --target hello`."""

import lastword


@lastword.http
def hello(request):
    name = request.args.get("name", "World")
    return f"Hello, {name}!\n"
