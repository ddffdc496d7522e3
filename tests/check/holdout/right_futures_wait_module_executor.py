import concurrent.futures

import functions_framework
from google.cloud import translate_v2

EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=4)
translator = translate_v2.Client()


@functions_framework.http
def translate_all(request):
    body = request.get_json()
    futures = {
        lang: EXECUTOR.submit(translator.translate, body["text"], target_language=lang)
        for lang in body["languages"]
    }
    concurrent.futures.wait(futures.values())
    return {lang: fut.result()["translatedText"] for lang, fut in futures.items()}
