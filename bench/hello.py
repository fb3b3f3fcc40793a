# hello.py - the uWSGI hello-world app of bench/run
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello\n"]
