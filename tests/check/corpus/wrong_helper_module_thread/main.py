import functions_framework

import helpers


@functions_framework.http
def upload(request):
    helpers.start_upload(request.get_data())
    return "uploading"
