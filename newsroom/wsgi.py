"""WSGI entry point: `gunicorn newsroom.wsgi`.

It reads no `.env` file, ever: the process manager gives it its environment
(newsroom/envfile.py, #13).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()
