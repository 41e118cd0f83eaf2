from django.apps import AppConfig


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = "Rescue (sign-in, roles, audit)"
