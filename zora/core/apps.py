from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zora.core"
    label = "core"
    verbose_name = "Zora core"
