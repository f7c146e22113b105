"""The WSGI callable of the stock project: ``gunicorn stock.wsgi:application`` from bench/."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stock.settings")

application = get_wsgi_application()
