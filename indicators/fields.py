"""A JSON column that keeps what it was given, key order included.

PostgreSQL's jsonb sorts object keys; plan parameters (per_type, levels,
grades: the order a county wrote them in) and result documents (the spec's
field order, byte-stable exports) must come back as written. Numbers are read
back as Decimal, never float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from indicators.jsonvalues import to_jsonable


class OrderedJSONField(models.TextField):
    description = "JSON kept as text, in the order written"
    if TYPE_CHECKING:
        # What django-stubs' plugin reads as the field's set and get types.
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(value, parse_float=Decimal)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value, parse_float=Decimal)
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(to_jsonable(value), ensure_ascii=False)

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""
