import lastword


def helper(x):
    return x


@lastword.http
def greet(request):
    return "declared by lastword"


NOT_A_FUNCTION = 42
