from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dudao.web"
    verbose_name = "页面"
