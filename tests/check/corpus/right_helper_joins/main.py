import functions_framework

from helpers import upload_in_background_and_wait


@functions_framework.http
def upload(request):
    upload_in_background_and_wait(request.get_data())
    return "uploaded"
