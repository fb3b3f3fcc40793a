# seed_main.py - the seed app run by python3 itself: one request on the main thread, then a
# normal interpreter exit.
import seed_app

print(b"".join(seed_app.application({}, lambda *a: None)).decode().split(" pid")[0], flush=True)
