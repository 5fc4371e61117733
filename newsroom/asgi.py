"""ASGI entry point: `uvicorn newsroom.asgi:application`.

It reads no `.env` file, ever: the process manager gives it its environment
(newsroom/envfile.py, #13).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_asgi_application()
