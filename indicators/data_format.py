"""A period's inputs in and out as ``assessment-data/1`` (scoring.md section 3).

``parse_period_data`` checks the file against its plan and reports every problem
at once with its position (``records[14].value``); nothing is returned unless
the whole file is sound.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from indicators.errors import ProblemList
from indicators.methods import METHODS
from indicators.methods.base import MethodType
from indicators.numbers import (
    Reader,
    exact_to_json,
    format_exact,
    object_reader,
    show,
)
from indicators.spec import (
    Award,
    Event,
    Exemption,
    Indicator,
    Params,
    Period,
    PeriodInputs,
    Plan,
    Record,
    TargetOverride,
    Township,
)

FORMAT = "assessment-data/1"
DATA_KEYS = frozenset(
    {
        "format",
        "plan",
        "period",
        "townships",
        "targets",
        "records",
        "events",
        "awards",
        "exemptions",
    }
)
RECORD_FIELDS = ("value", "grade", "items", "score")

MSG_NOT_AN_OBJECT = "数据文件应为一个对象({…})"
MSG_WRONG_FORMAT = "数据文件的 format 应为 “{expected}”,实际为 {value}"
MSG_WRONG_PLAN = "数据文件属于方案 {value},而不是方案 {plan}"
MSG_UNKNOWN_PERIOD = "方案 {plan} 中没有考核周期 “{period}”"
MSG_COMPOSITE_PERIOD = "考核周期 {period} 由其他周期合成,没有自己的数据"
MSG_OTHER_PERIOD = "数据文件属于考核周期 {value},而不是 {period}"
MSG_NO_TOWNSHIPS = "数据文件至少要列出一个乡镇(街道)"
MSG_DUPLICATE_TOWNSHIP = "乡镇(街道)编码 “{code}” 重复({first} 已使用)"
MSG_UNKNOWN_GROUP = "{owner}的类别 “{code}” 不在方案的类别中"
MSG_UNKNOWN_TOWNSHIP = "{owner}的乡镇(街道) “{code}” 不在本文件的 townships 中"
MSG_UNKNOWN_INDICATOR = "{owner}的指标 “{code}” 不在方案中"
MSG_NOT_A_LEAF = "{owner}的 “{code}” 是类别,不是具体指标"
MSG_DUPLICATE_PAIR = "{owner}重复:乡镇 {township} 的指标 {indicator} 已在 {first} 给出"
MSG_DUPLICATE_ID = "{owner}的编号 “{id}” 重复({first} 已使用)"
MSG_NO_RECORDS_HERE = "{owner}:指标 {code} 按{source}计分,不接受填报数据"
MSG_MISSING_RECORD_FIELD = "{owner}缺少指标 {code} 的计分方法所读取的字段 {field}"
MSG_WRONG_RECORD_FIELD = "{owner}的字段 {field} 不适用于指标 {code}(该指标读取 {reads})"
MSG_NOT_TEXT_LIST = "{owner}的 items 应为文本列表,实际为 {value}"
MSG_MISSING_TARGET = (
    "{owner}:指标 {code} 需要目标值,但乡镇 {township} 没有目标值"
    "(方案和 targets 中都没有)"
)
MSG_TARGET_NOT_POSITIVE = (
    "{owner}:指标 {code} 按目标值计算比率,目标值必须大于 0,实际为 {value}"
)
MSG_WRONG_SOURCE = "{owner}:指标 {code} 不读取{kind}"
MSG_EVENT_AFTER_PERIOD = "{owner}的日期 {date} 晚于考核周期 {period} 的结束日期 {end}"
MSG_EXEMPT_CATEGORY = "{owner}:“{code}” 是类别,免考只能针对具体指标"

_SOURCES = {"events": "事件", "awards": "表彰"}


def parse_period_data(
    data: Mapping[str, Any], plan: Plan, *, period: str | None = None
) -> PeriodInputs:
    """The period's inputs; ``InvalidInput`` with every problem otherwise."""
    problems = ProblemList()
    if not isinstance(data, Mapping):
        problems.add("", "not_an_object", MSG_NOT_AN_OBJECT)
        problems.raise_if_any()
    inputs = _DataParser(Reader(data, "", problems, "数据文件"), plan, period).parse()
    problems.raise_if_any()
    assert inputs is not None
    return inputs


class _DataParser:
    def __init__(self, reader: Reader, plan: Plan, period: str | None) -> None:
        self.reader = reader
        self.problems = reader.problems
        self.plan = plan
        self.period_wanted = period
        self.townships: dict[str, Township] = {}
        self.exempt: set[tuple[str, str]] = set()
        self.overrides: set[tuple[str, str]] = set()

    def parse(self) -> PeriodInputs | None:
        r = self.reader
        r.only(DATA_KEYS)
        if r.data.get("format") != FORMAT:
            r.add(
                "format",
                "wrong_format",
                MSG_WRONG_FORMAT.format(
                    expected=FORMAT, value=show(r.data.get("format"))
                ),
            )
        plan_code = r.text("plan")
        if plan_code is not None and plan_code != self.plan.code:
            r.add(
                "plan",
                "wrong_plan",
                MSG_WRONG_PLAN.format(value=plan_code, plan=self.plan.code),
            )
        period = self._period()
        townships = self._townships()
        exemptions = self._exemptions()
        targets = self._targets()
        records = self._records()
        events = self._events(period)
        awards = self._awards()
        if self.problems or period is None:
            return None
        return PeriodInputs(
            plan=self.plan.code,
            period=period,
            townships=townships,
            records=records,
            targets=targets,
            events=events,
            awards=awards,
            exemptions=exemptions,
        )

    def _period(self) -> str | None:
        r = self.reader
        code = r.text("period")
        if code is None:
            return None
        found = self.plan.period(code)
        if found is None:
            r.add(
                "period",
                "unknown_period",
                MSG_UNKNOWN_PERIOD.format(plan=self.plan.code, period=code),
            )
            return None
        if found.is_composite:
            r.add(
                "period", "composite_period", MSG_COMPOSITE_PERIOD.format(period=code)
            )
            return None
        if self.period_wanted is not None and code != self.period_wanted:
            r.add(
                "period",
                "other_period",
                MSG_OTHER_PERIOD.format(value=code, period=self.period_wanted),
            )
            return None
        return code

    def _entries(self, key: str, owner: str, *, required: bool = False) -> list[Reader]:
        raw = self.reader.list(key, required=required)
        out = []
        for i, entry in enumerate(raw or ()):
            path = f"{key}[{i}]"
            sub = object_reader(entry, path, self.problems, f"{owner} {path}")
            if sub is not None:
                out.append(sub)
        return out

    # --- townships ---------------------------------------------------------------

    def _townships(self) -> tuple[Township, ...]:
        entries = self._entries("townships", "乡镇(街道)", required=True)
        if not entries and self.reader.has("townships"):
            self.reader.add("townships", "empty", MSG_NO_TOWNSHIPS)
        groups = {g.code for g in self.plan.groups}
        first: dict[str, str] = {}
        for sub in entries:
            sub.only({"code", "name", "group"})
            code, name, group = sub.text("code"), sub.text("name"), sub.text("group")
            if code is not None and code in first:
                sub.add(
                    "code",
                    "duplicate_code",
                    MSG_DUPLICATE_TOWNSHIP.format(code=code, first=first[code]),
                )
                continue
            if group is not None and group not in groups:
                sub.add(
                    "group",
                    "unknown_group",
                    MSG_UNKNOWN_GROUP.format(owner=sub.owner, code=group),
                )
            if code is not None:
                # Known even when its name or group is bad, so its records do
                # not add problems of their own (the file is refused anyway).
                first[code] = sub.path
                self.townships[code] = Township(code, name or "", group or "")
        return tuple(self.townships.values())

    # --- shared: which township and which indicator -----------------------------

    def _pair(
        self, sub: Reader, *, allow_category: bool = False
    ) -> tuple[str | None, Indicator | None]:
        township = sub.text("township")
        if township is not None and township not in self.townships:
            sub.add(
                "township",
                "unknown_township",
                MSG_UNKNOWN_TOWNSHIP.format(owner=sub.owner, code=township),
            )
            township = None
        code = sub.text("indicator")
        if code is None:
            return township, None
        node = self.plan.nodes.get(code)
        if node is None:
            sub.add(
                "indicator",
                "unknown_indicator",
                MSG_UNKNOWN_INDICATOR.format(owner=sub.owner, code=code),
            )
            return township, None
        if node.is_category and not allow_category:
            sub.add(
                "indicator",
                "not_a_leaf",
                MSG_NOT_A_LEAF.format(owner=sub.owner, code=code),
            )
            return township, None
        return township, node

    def _once(
        self, sub: Reader, key: tuple[str, str], seen: dict[tuple[str, str], str]
    ) -> bool:
        if key in seen:
            sub.add(
                "",
                "duplicate_pair",
                MSG_DUPLICATE_PAIR.format(
                    owner=sub.owner, township=key[0], indicator=key[1], first=seen[key]
                ),
            )
            return False
        seen[key] = sub.path
        return True

    def _assessed(self, township: str, leaf: Indicator) -> bool:
        group = self.townships[township].group
        return leaf.applies_to(group) and (township, leaf.code) not in self.exempt

    # --- exemptions and targets ---------------------------------------------------

    def _exemptions(self) -> tuple[Exemption, ...]:
        out: list[Exemption] = []
        seen: dict[tuple[str, str], str] = {}
        for sub in self._entries("exemptions", "免考"):
            sub.only({"township", "indicator", "reason"})
            township, node = self._pair(sub, allow_category=True)
            reason = sub.text("reason")
            if node is not None and node.is_category:
                sub.add(
                    "indicator",
                    "exemption_on_category",
                    MSG_EXEMPT_CATEGORY.format(owner=sub.owner, code=node.code),
                )
                continue
            if township is None or node is None or reason is None:
                continue
            if self._once(sub, (township, node.code), seen):
                out.append(Exemption(township, node.code, reason))
                self.exempt.add((township, node.code))
        return tuple(out)

    def _targets(self) -> tuple[TargetOverride, ...]:
        out: list[TargetOverride] = []
        seen: dict[tuple[str, str], str] = {}
        for sub in self._entries("targets", "目标值"):
            sub.only({"township", "indicator", "target"})
            township, leaf = self._pair(sub)
            value = sub.number("target", required=True)
            if township is None or leaf is None or value is None:
                continue
            if not self._once(sub, (township, leaf.code), seen):
                continue
            if _needs_target(leaf) and value <= 0:
                sub.add(
                    "target",
                    "target_not_positive",
                    MSG_TARGET_NOT_POSITIVE.format(
                        owner=sub.owner, code=leaf.code, value=format_exact(value)
                    ),
                )
                continue
            out.append(TargetOverride(township, leaf.code, value))
            self.overrides.add((township, leaf.code))
        return tuple(out)

    # --- records -------------------------------------------------------------------

    def _records(self) -> tuple[Record, ...]:
        out: list[Record] = []
        seen: dict[tuple[str, str], str] = {}
        for sub in self._entries("records", "填报数据"):
            sub.only({"township", "indicator", *RECORD_FIELDS})
            township, leaf = self._pair(sub)
            if leaf is None:
                continue
            record = self._record(sub, township, leaf)
            if township is None or record is None:
                continue
            if not self._once(sub, (township, leaf.code), seen):
                continue
            self._check_target(sub, township, leaf)
            out.append(record)
        return tuple(out)

    def _record(
        self, sub: Reader, township: str | None, leaf: Indicator
    ) -> Record | None:
        method = _method(leaf)
        reads = method.reads
        if reads is None:
            source = "事件" if method.reads_events else "表彰"
            sub.add(
                "indicator",
                "no_records_for_item",
                MSG_NO_RECORDS_HERE.format(
                    owner=sub.owner, code=leaf.code, source=source
                ),
            )
            return None
        for other in RECORD_FIELDS:
            if other != reads and other in sub.data:
                sub.add(
                    other,
                    "wrong_record_field",
                    MSG_WRONG_RECORD_FIELD.format(
                        owner=sub.owner, field=other, code=leaf.code, reads=reads
                    ),
                )
        if not sub.has(reads):
            sub.add(
                reads,
                "missing_field",
                MSG_MISSING_RECORD_FIELD.format(
                    owner=sub.owner, code=leaf.code, field=reads
                ),
            )
            return None
        value = _read_field(sub, reads)
        if value is None:
            return None
        record = Record(township or "", leaf.code, **{reads: value})
        before = len(self.problems.problems)
        method.check_record(_params(leaf), record, points=leaf.points, reader=sub)
        return record if len(self.problems.problems) == before else None

    def _check_target(self, sub: Reader, township: str, leaf: Indicator) -> None:
        # Only where the target is used: a record of an assessed pair.
        if not _needs_target(leaf) or not self._assessed(township, leaf):
            return
        if leaf.target is None and (township, leaf.code) not in self.overrides:
            sub.add(
                "",
                "missing_target",
                MSG_MISSING_TARGET.format(
                    owner=sub.owner, code=leaf.code, township=township
                ),
            )

    # --- events and awards ---------------------------------------------------------

    def _events(self, period_code: str | None) -> tuple[Event, ...]:
        period = self.plan.period(period_code) if period_code else None
        out: list[Event] = []
        ids: dict[str, str] = {}
        for sub in self._entries("events", "事件"):
            sub.only({"id", "township", "indicator", "type", "date"})
            event_id = self._unique_id(sub, ids)
            township, leaf = self._pair(sub)
            kind = sub.text("type", required=False)
            when = sub.date("date")
            if when is not None and period is not None:
                _check_event_date(sub, when, period)
            if leaf is not None and not self._source(sub, leaf, "events"):
                leaf = None
            if None in (event_id, township, leaf, when):
                continue
            assert event_id and township and leaf and when
            event = Event(event_id, township, leaf.code, when, kind)
            _method(leaf).check_event(_params(leaf), event, reader=sub)
            out.append(event)
        return tuple(out)

    def _awards(self) -> tuple[Award, ...]:
        out: list[Award] = []
        ids: dict[str, str] = {}
        for sub in self._entries("awards", "表彰"):
            sub.only({"id", "township", "indicator", "level", "subject"})
            award_id = self._unique_id(sub, ids)
            township, leaf = self._pair(sub)
            level = sub.text("level")
            subject = sub.text("subject", required=False)
            if leaf is not None and not self._source(sub, leaf, "awards"):
                leaf = None
            if None in (award_id, township, leaf, level):
                continue
            assert award_id and township and leaf and level
            award = Award(award_id, township, leaf.code, level, subject)
            _method(leaf).check_award(_params(leaf), award, reader=sub)
            out.append(award)
        return tuple(out)

    def _unique_id(self, sub: Reader, seen: dict[str, str]) -> str | None:
        item_id = sub.text("id")
        if item_id is None:
            return None
        if item_id in seen:
            sub.add(
                "id",
                "duplicate_id",
                MSG_DUPLICATE_ID.format(
                    owner=sub.owner, id=item_id, first=seen[item_id]
                ),
            )
            return None
        seen[item_id] = sub.path
        sub.owner = f"{sub.owner}({item_id})"
        return item_id

    def _source(self, sub: Reader, leaf: Indicator, kind: str) -> bool:
        method = _method(leaf)
        reads = method.reads_events if kind == "events" else method.reads_awards
        if not reads:
            sub.add(
                "indicator",
                "wrong_source",
                MSG_WRONG_SOURCE.format(
                    owner=sub.owner, code=leaf.code, kind=_SOURCES[kind]
                ),
            )
        return reads


def _check_event_date(sub: Reader, when: date, period: Period) -> None:
    """History (before the start) counts for repeat escalation; an event after
    the period's end cannot have happened yet in it."""
    if period.end is not None and when > period.end:
        sub.add(
            "date",
            "event_after_period",
            MSG_EVENT_AFTER_PERIOD.format(
                owner=sub.owner, date=when, period=period.code, end=period.end
            ),
        )


def _params(leaf: Indicator) -> Params:
    assert leaf.params is not None
    return leaf.params


def _method(leaf: Indicator) -> MethodType:
    assert leaf.method is not None
    return METHODS[leaf.method]


def _needs_target(leaf: Indicator) -> bool:
    return leaf.params is not None and _method(leaf).needs_target(leaf.params)


def _read_field(sub: Reader, field: str) -> Any:
    if field in ("value", "score"):
        return sub.number(field, required=True)
    if field == "grade":
        return sub.text(field)
    raw = sub.data[field]
    if not isinstance(raw, list | tuple) or not all(isinstance(i, str) for i in raw):
        sub.add(
            field,
            "not_a_text_list",
            MSG_NOT_TEXT_LIST.format(owner=sub.owner, value=show(raw)),
        )
        return None
    return tuple(raw)


# --- out ---------------------------------------------------------------------------


def period_data_to_dict(inputs: PeriodInputs) -> dict[str, Any]:
    """The inputs as ``assessment-data/1`` (``numbers.dump_json`` writes it)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "plan": inputs.plan,
        "period": inputs.period,
        "townships": [
            {"code": t.code, "name": t.name, "group": t.group} for t in inputs.townships
        ],
        "targets": [
            {
                "township": t.township,
                "indicator": t.indicator,
                "target": exact_to_json(t.target),
            }
            for t in inputs.targets
        ],
        "records": [_record_to_dict(r) for r in inputs.records],
        "events": [_event_to_dict(e) for e in inputs.events],
        "awards": [_award_to_dict(a) for a in inputs.awards],
        "exemptions": [
            {"township": e.township, "indicator": e.indicator, "reason": e.reason}
            for e in inputs.exemptions
        ],
    }
    return out


def _record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"township": record.township, "indicator": record.indicator}
    if record.value is not None:
        out["value"] = exact_to_json(record.value)
    if record.grade is not None:
        out["grade"] = record.grade
    if record.items is not None:
        out["items"] = list(record.items)
    if record.score is not None:
        out["score"] = exact_to_json(record.score)
    return out


def _event_to_dict(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": event.id,
        "township": event.township,
        "indicator": event.indicator,
    }
    if event.type is not None:
        out["type"] = event.type
    out["date"] = event.date.isoformat()
    return out


def _award_to_dict(award: Award) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": award.id,
        "township": award.township,
        "indicator": award.indicator,
        "level": award.level,
    }
    if award.subject is not None:
        out["subject"] = award.subject
    return out
