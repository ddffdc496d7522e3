from concurrent.futures import ThreadPoolExecutor


def run_all(fns):
    with ThreadPoolExecutor(max_workers=len(fns) or 1) as ex:
        futures = [ex.submit(fn) for fn in fns]
        return [f.result() for f in futures]
