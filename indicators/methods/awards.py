"""``awards``: points for recognitions (表彰), on bonus or basic items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    MethodType,
    Scored,
    Validation,
    read_code_points,
)
from indicators.numbers import Exact, Reader, exact_to_json
from indicators.spec import BASIC, BONUS, Award, Params

MSG_UNKNOWN_LEVEL = "{owner}的表彰级别 “{level}” 不在该指标的 levels {known} 中"


@dataclass(frozen=True, slots=True)
class AwardsParams(Params):
    levels: tuple[tuple[str, Exact], ...]
    highest_only: bool = False
    max: Exact | None = None


class Awards(MethodType):
    name = "awards"
    roles = frozenset({BASIC, BONUS})
    keys = frozenset({"levels", "highest_only", "max"})
    reads_awards = True

    def read(self, check: Validation) -> AwardsParams | None:
        reader = check.reader
        levels = read_code_points(reader, "levels")
        highest_only = reader.flag("highest_only")
        most = reader.number("max", minimum=0)
        if levels is None or (reader.has("max") and most is None):
            return None
        return AwardsParams(levels, highest_only, most)

    def to_dict(self, params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "levels": {k: exact_to_json(v) for k, v in params.levels},
            "highest_only": params.highest_only,
        }
        if params.max is not None:
            out["max"] = exact_to_json(params.max)
        return out

    def check_award(self, params: Any, award: Award, *, reader: Reader) -> None:
        known = [level for level, _ in params.levels]
        if award.level not in known:
            reader.add(
                "level",
                "unknown_level",
                MSG_UNKNOWN_LEVEL.format(
                    owner=reader.owner, level=award.level, known="、".join(known)
                ),
            )

    def score(self, params: Any, item: ItemInputs) -> dict[str, Scored]:
        levels = dict(params.levels)
        mine: dict[str, list[Award]] = {}
        for award in item.awards:
            mine.setdefault(award.township, []).append(award)
        caps = [c for c in (params.max, item.points) if c is not None]
        cap = min(caps) if caps else None
        out: dict[str, Scored] = {}
        for township, _group in item.assessed:
            counted = _counted(mine.get(township, ()), levels, params.highest_only)
            total = sum(points for _, points in counted)
            if cap is not None and total > cap:
                total = cap
            out[township] = (total, (("awards", tuple(counted)),))
        return out


def _counted(
    awards: Any, levels: dict[str, Exact], highest_only: bool
) -> list[tuple[str, Exact]]:
    """(award id, points) of the awards that count. With ``highest_only``
    awards sharing a subject count once, at their highest level."""
    if not highest_only:
        return [(a.id, levels[a.level]) for a in awards]
    best: dict[str, tuple[str, Exact]] = {}
    for award in awards:
        key = award.subject if award.subject is not None else "\0" + award.id
        points = levels[award.level]
        if key not in best or points > best[key][1]:
            best[key] = (award.id, points)
    return sorted(best.values())
