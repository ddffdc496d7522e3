"""lastword: a functions framework where the HTTP response is the last word."""
