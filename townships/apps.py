from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownshipsConfig(AppConfig):
    name = "townships"
    verbose_name = _("组织机构")
