from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "dudao.rectification"
    verbose_name = "整改台账"
