import lastword


@lastword.http
def one(request):
    return "one"


@lastword.http(background="wait")
async def two(request):
    return "two"
