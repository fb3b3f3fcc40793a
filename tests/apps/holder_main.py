# holder_main.py - keeps a Python object in pyholder's thread_local; python3 then finalizes
# before the thread_local destructor runs, which calls into the dead interpreter.
import pyholder

pyholder.hold(object())
print("held", flush=True)
