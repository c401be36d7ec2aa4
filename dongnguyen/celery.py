import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dongnguyen.settings")

app = Celery("dongnguyen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
