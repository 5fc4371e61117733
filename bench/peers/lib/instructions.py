"""Instructions one page costs a process, for `instructions.sh`: python instructions.py PATH N.

Run under `valgrind --tool=callgrind --instr-atstart=no`: the page is requested 5 times to warm
the process (templates, lookups, connections), then counting is switched on for N requests
through Django's test client with the site's own settings and middleware. Instruction counts
don't move with the machine's load, as CPU seconds do, so two apps can be compared one after
the other on a busy machine. Not counted: the WSGI server, the network, the database server.
"""

import os
import subprocess
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

path, count = sys.argv[1], int(sys.argv[2])
client = Client(HTTP_HOST="127.0.0.1")


def get():
    connection.close_if_unusable_or_obsolete()  # As a server does at each request's end.
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


for _ in range(5):
    body = get().content
print("bytes", len(body), file=sys.stderr)
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
for _ in range(count):
    get()
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True)
