"""Generate a realistic delivery-operations department of a chosen size, deterministically.

``generate(root, size, seed)`` writes ``size`` record files under ``root/records/``: people with
superiors and roles, projects in every phase (initiation to closed) with their teams, meetings,
reports, deviations, issues, milestones, plans and acceptance, risks with responses and checks,
quarterly and annual appraisals, the yearly training plans and the sessions held. The records are
built from the rules, not copied from the samples: dates follow one another as the policy wants
(kickoff and approved plan before execution, meetings every two weeks, appraisals at the period's
end, ...), and a few percent of the records then get one violation each, of many kinds.

"Today" is :data:`AS_OF`; the benchmark passes it to every command, so the findings do not move with
the calendar. Standalone: ``python benchmarks/department.py DIR --size 1000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 24)
D = dt.timedelta

# ---------------------------------------------------------------------------------------------- YAML out
# A small emitter in the samples' style (block mappings, short items in flow style, dates unquoted),
# faster than a general dumper and stable across PyYAML versions.

_NOT_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@` ")
_SPECIAL = re.compile(
    r"^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|nan)"
    r"|0x[0-9a-f]+|0o[0-7]+)$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def _scalar(value: Any, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _DATE.match(text):
        return text
    plain = (
        text
        and text[0] not in _NOT_PLAIN_START
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and not any(ch < " " for ch in text)
        and not _SPECIAL.match(text)
        and not (flow and any(ch in text for ch in ",[]{}"))
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _flow(value: Any) -> str | None:
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            inner = _flow(item)
            if inner is None:
                return None
            parts.append(f"{key}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        if not all(_is_scalar(item) for item in value):
            return None
        return "[" + ", ".join(_scalar(item, True) for item in value) + "]"
    return _scalar(value, True)


def _block(data: dict[str, Any], indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for number, (key, value) in enumerate(data.items()):
        lead = first_prefix if (first_prefix is not None and number == 0) else pad
        if _is_scalar(value):
            out.append(f"{lead}{key}: {_scalar(value, False)}")
            continue
        flow = _flow(value)
        if flow is not None and len(flow) + indent + len(key) <= 110 and value:
            out.append(f"{lead}{key}: {flow}")
            continue
        if isinstance(value, dict):
            out.append(f"{lead}{key}:")
            _block(value, indent + 2, out)
            continue
        out.append(f"{lead}{key}:")
        for item in value:
            if _is_scalar(item):
                out.append(f"{pad}  - {_scalar(item, False)}")
                continue
            flow = _flow(item)
            if flow is not None and len(flow) + indent <= 106:
                out.append(f"{pad}  - {flow}")
            else:
                _block(item, indent + 4, out, first_prefix=f"{pad}  - ")


def dump(data: dict[str, Any]) -> str:
    out: list[str] = []
    _block(data, 0, out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- words

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏辉建文宇浩然欣怡子涵思远晓峰婉清嘉明若溪志远文韬静怡晨阳雨桐博一诺佳琪梓轩俊杰"
)
REGIONS = [
    "华东",
    "桂南",
    "川西",
    "海南某市",
    "苏北",
    "闽南",
    "鲁中",
    "皖北",
    "滇中",
    "湘西",
    "粤西",
    "浙南",
    "黔东",
    "冀北",
    "晋中",
]
INDUSTRIES = [
    ("冷链物流", "仓储管理系统"),
    ("城市商业银行", "信贷核心系统"),
    ("水务集团", "管网监测平台"),
    ("政务服务中心", "政务热线平台"),
    ("医疗保障局", "医保结算系统"),
    ("港务集团", "码头作业系统"),
    ("连锁零售", "会员营销平台"),
    ("电力公司", "配网运维平台"),
    ("轨道交通", "票务清分系统"),
    ("制造集团", "设备巡检系统"),
    ("高校", "一站式服务平台"),
    ("燃气公司", "客服工单系统"),
]
ACTIONS = ["上线", "迁移", "升级改造", "部署", "推广实施", "运维交接", "扩容", "国产化替代"]
TOPICS = [
    "接口联调进度",
    "测试环境准备",
    "数据迁移批次",
    "缺陷清单",
    "上线窗口",
    "用户培训安排",
    "基础数据收集",
    "性能压测结果",
    "割接方案",
    "客户需求变更",
    "运维交接清单",
    "验收资料",
    "权限与账号",
    "报表口径",
    "备份与恢复演练",
]
VERBS = ["检查", "复核", "协调", "确认", "讨论", "评审", "跟进", "梳理"]
RISK_TEXTS = [
    ("technical", "第三方接口文档不全", "接口方不提供完整文档，联调可能延误"),
    ("schedule", "客户测试环境交付延迟", "测试环境未按期就绪，测试周期被压缩"),
    ("personnel", "关键成员可能离职", "关键岗位只有一人熟悉，离职将影响交付"),
    ("customer", "客户需求频繁变更", "需求未冻结，返工风险较高"),
    ("quality", "历史数据质量差", "源系统数据缺失和重复较多，迁移核对工作量大"),
    ("other", "硬件到货延迟", "服务器采购流程长，可能影响部署时间"),
    ("technical", "老旧系统性能瓶颈", "批处理窗口不足，高峰期可能超时"),
    ("schedule", "节假日影响割接窗口", "割接窗口与节假日重叠，人手不足"),
]
TRAINING_TITLES = {
    "skills": [
        "容器平台运维实战",
        "数据库性能诊断",
        "接口测试自动化",
        "数据迁移核对方法",
        "监控告警配置",
        "网络安全基础",
    ],
    "management": ["项目进度与成本控制", "PMP 认证辅导", "风险管理实务", "团队协作与授权", "验收管理"],
    "communication": ["客户沟通与汇报技巧", "书面表达与会议纪要写作", "需求访谈技巧", "冲突处理与谈判"],
}
ROLES_ON_TEAM = ("project_specialist", "operations_support")


def pinyin_handle(rng: random.Random, number: int) -> str:
    return "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(5, 9))) + f"-{number:04d}"


def pick_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + D(days=rng.randint(0, (end - start).days))


def iso(day: dt.date) -> str:
    return day.isoformat()


def cadence(rng: random.Random, start: dt.date, end: dt.date, gap: int) -> list[dt.date]:
    """Dates after ``start`` up to ``end``, never more than ``gap`` days apart, the last within ``gap`` of end."""
    days: list[dt.date] = []
    day = start
    while True:
        day = day + D(days=rng.randint(max(3, gap - 6), gap))
        if day > end:
            break
        days.append(day)
    if days and (end - days[-1]).days > gap - 2:
        days.append(end)
    if not days and (end - start).days > gap:
        days.append(end)
    return days


# ---------------------------------------------------------------------------------------------- model


@dataclass
class Person:
    id: str
    roles: list[str]
    superior: str | None
    joined: dt.date
    left: dt.date | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def active(self, start: dt.date, end: dt.date) -> bool:
        return self.joined + D(days=7) <= start and (self.left is None or self.left > end + D(days=7))


@dataclass
class Project:
    id: str
    manager: str
    started: dt.date
    executing: dt.date | None
    closed: dt.date | None
    members: list[tuple[str, dt.date, dt.date | None]]
    customer_code: str
    data: dict[str, Any]


class Department:
    def __init__(self, size: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.people: dict[str, Person] = {}
        self.projects: list[Project] = []
        self.files: dict[str, dict[str, Any]] = {}  # relative path -> record
        self.plans: dict[int, dict[str, Any]] = {}
        self.sessions: list[dict[str, Any]] = []
        self.training_needs: list[tuple[str, str, dt.date, dt.date]] = []  # person, item, from, to
        self.violations: dict[str, str] = {}  # path -> kind of violation

    # ---- sizes
    def plan_sizes(self) -> dict[str, int]:
        n = self.size
        people = min(9000, max(14, round(n * 0.08)))
        projects = max(6, round(n * 0.10))
        risks = max(5, round(n * 0.10))
        sessions = max(4, round(n * 0.05))
        years = max(2, math.ceil(max(projects, risks, sessions) / 700))
        reviews = n - people - projects - risks - sessions - years
        if reviews < 0:
            raise SystemExit(f"size {n} is too small for a department (at least about 60 records)")
        return {
            "people": people,
            "projects": projects,
            "risks": risks,
            "sessions": sessions,
            "years": years,
            "reviews": reviews,
        }

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    # ---- people
    def make_people(self, count: int, first_year: int) -> None:
        rng = self.rng
        heads = 1
        seniors = max(1, count // 60)
        managers = max(2, count * 15 // 100)
        ids = [f"EMP-{i:04d}" for i in range(1, count + 1)]
        earliest = dt.date(first_year - 6, 1, 1)
        for number, pid in enumerate(ids):
            if number < heads:
                roles, superior = ["department_head"], None
            elif number < heads + seniors:
                roles, superior = ["project_manager"], ids[0]
            elif number < heads + seniors + managers:
                roles, superior = ["project_manager"], ids[rng.randint(1, seniors)]
            else:
                roll = rng.random()
                roles = (
                    ["project_specialist"]
                    if roll < 0.55
                    else ["operations_support"]
                    if roll < 0.85
                    else ["project_specialist", "operations_support"]
                )
                superior = ids[rng.randint(heads + seniors, heads + seniors + managers - 1)]
            senior_staff = number < heads + seniors + managers
            joined = pick_date(rng, earliest, dt.date(first_year - 1, 6, 30) if senior_staff else AS_OF - D(days=40))
            left = None
            if not senior_staff and rng.random() < 0.06 and (AS_OF - joined).days > 400:
                left = pick_date(rng, joined + D(days=300), AS_OF - D(days=10))
            person = Person(pid, roles, superior, joined, left)
            self.people[pid] = person
        for person in self.people.values():
            self.people_record(person)

    def people_record(self, person: Person) -> None:
        rng = self.rng
        number = int(person.id[4:])
        title = {
            "department_head": "交付运营部总监",
            "project_manager": "项目经理" if person.superior != "EMP-0001" else "高级项目经理",
            "project_specialist": "项目专员",
            "operations_support": "运营支持工程师",
        }[person.roles[0]]
        data: dict[str, Any] = {"id": person.id, "name": self.name(), "title": title, "roles": person.roles}
        if person.superior:
            data["superior"] = person.superior
        data["github"] = pinyin_handle(rng, number)
        data["joined_on"] = iso(person.joined)
        data["status"] = "left" if person.left else "active"
        if person.left:
            data["left_on"] = iso(person.left)
        data["contact"] = {
            "email": f"staff{number:04d}@delivery.example",
            "phone": f"0571-{rng.randint(1000, 9999):04d} {rng.randint(1000, 9999):04d}",
        }
        data["confidentiality_agreement"] = {
            "signed_on": iso(person.joined),
            "reference": f"HR-NDA-{person.joined.year}-{rng.randint(1, 999):03d}",
        }
        if (AS_OF - person.joined).days > 80 or rng.random() < 0.5:
            goal = {
                "department_head": "建成区域交付中心",
                "project_manager": "高级项目经理",
                "project_specialist": rng.choice(["项目经理", "质量保障主管", "实施顾问"]),
                "operations_support": rng.choice(["运维主管", "平台架构师", "项目专员"]),
            }[person.roles[0]]
            data["career_plan"] = {
                "goal": goal,
                "path": [
                    f"{rng.choice(VERBS)}{rng.choice(TOPICS)}",
                    f"完成{rng.choice(TRAINING_TITLES['skills'])}培训",
                ],
                "target_date": iso(dt.date(AS_OF.year + rng.randint(1, 3), 6, 30)),
                "updated_on": iso(max(person.joined, AS_OF - D(days=rng.randint(30, 300)))),
            }
        person.data = data
        self.files[f"records/people/{person.id}.yaml"] = data

    def staff(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if role in p.roles]

    # ---- training plans
    def make_plans(self, years: list[int]) -> None:
        rng = self.rng
        forms = ["internal", "external", "online"]
        for year in years:
            items = []
            count = rng.randint(12, 18)
            for number in range(1, count + 1):
                area = ["skills", "management", "communication"][(number - 1) % 3]
                form = forms[(number - 1) % 3 if number <= 3 else rng.randint(0, 2)]
                audience = {
                    "skills": ["operations_support", "project_specialist"],
                    "management": ["project_manager"],
                    "communication": ["project_manager", "project_specialist"],
                }[area]
                items.append(
                    {
                        "id": f"T{number:02d}",
                        "title": rng.choice(TRAINING_TITLES[area]) + ("（在线）" if form == "online" else ""),
                        "form": form,
                        "area": area,
                        "audience": audience,
                        "planned_month": f"{year}-{rng.randint(2, 11):02d}",
                    }
                )
            data = {
                "id": f"TRP-{year}",
                "year": year,
                "approved_by": "EMP-0001",
                "approved_on": iso(dt.date(year, 1, rng.randint(8, 28))),
                "basis": f"依据 {year - 1} 年度考核结果、{year} 年业务计划和各岗位能力要求制定",
                "items": items,
            }
            self.plans[year] = data
            self.files[f"records/trainings/TRP-{year}.yaml"] = data

    def item_for(self, year: int, area: str) -> str:
        items = [item["id"] for item in self.plans[year]["items"] if item["area"] == area]
        return f"TRP-{year}/{self.rng.choice(items)}"

    # ---- projects
    def make_projects(self, count: int, years: list[int]) -> None:
        """Projects started evenly over the years; where each stands today follows from its dates."""
        rng = self.rng
        managers = [p for p in self.staff("project_manager") if p.superior]
        team_pool = [p for p in self.people.values() if set(p.roles) & set(ROLES_ON_TEAM)]
        per_year: dict[int, int] = defaultdict(int)
        first = dt.date(years[0], 1, 5)
        span = (AS_OF - D(days=3) - first).days
        for number in range(count):
            started = first + D(days=span * number // count + rng.randint(0, max(0, span // count - 1)))
            per_year[started.year] += 1
            pid = f"PRJ-{started.year}-{per_year[started.year]:03d}"
            manager = rng.choice([m for m in managers if m.active(started, AS_OF)] or managers)
            self.projects.append(self.project(pid, manager, started, rng.randint(90, 240), team_pool))

    def project(self, pid: str, manager: Person, started: dt.date, length: int, pool: list[Person]) -> Project:
        rng = self.rng
        superior = manager.superior or "EMP-0001"
        region = rng.choice(REGIONS)
        industry, system = rng.choice(INDUSTRIES)
        code = f"C-{rng.randint(1, 999):03d}"
        data: dict[str, Any] = {
            "id": pid,
            "name": f"{industry.replace('集团', '')}{system}{rng.choice(ACTIONS)}",
            "phase": "",
            "manager": manager.id,
            "customer": {
                "code": code,
                "full_name": f"{region}某{industry}有限公司",
                "contact": {"name": self.name(), "phone": f"0{rng.randint(10, 999)}-{rng.randint(1000000, 9999999)}"},
            },
            "started_on": iso(started),
        }
        kickoff = started + D(days=rng.randint(8, 18))
        executing = kickoff + D(days=rng.randint(2, 12))
        end = executing + D(days=length)  # the last milestone
        application = end - D(days=rng.randint(1, 4))
        signed_off = end + D(days=rng.randint(4, 12))
        closing = signed_off + D(days=rng.randint(20, 45))
        accepted: dt.date | None = signed_off
        closed: dt.date | None = closing
        if closing <= AS_OF:
            phase = "closed"
        elif application <= AS_OF:
            phase = "acceptance"
            closed = None
            if signed_off >= AS_OF - D(days=1):
                accepted = None
        else:
            phase = "initiation" if executing > AS_OF else "execution" if end - D(days=30) > AS_OF else "monitoring"
            closed = accepted = None
        data["phase"] = phase
        window_end = accepted or application if phase in ("closed", "acceptance") else AS_OF
        until = closed or AS_OF
        members: list[tuple[str, dt.date, dt.date | None]] = []
        candidates = [p for p in pool if p.active(started, until)]
        rng.shuffle(candidates)
        specialists = [p for p in candidates if "project_specialist" in p.roles][:2]
        others = [p for p in candidates if p not in specialists][: rng.randint(1, 2)]
        team = []
        for person in specialists + others:
            role = (
                "project_specialist"
                if person in specialists
                else rng.choice([r for r in person.roles if r in ROLES_ON_TEAM])
            )
            joined = started + D(days=rng.randint(2, 7))
            team.append(
                {
                    "person": person.id,
                    "role": role,
                    "duty": f"{rng.choice(TOPICS)}与{rng.choice(TOPICS)}",
                    "joined_on": iso(joined),
                }
            )
            members.append((person.id, joined, None))
        if phase == "initiation":
            data["requirements"] = {
                "summary": f"为客户{data['name']}，并打通{rng.choice(TOPICS)}",
                "goals": [f"{rng.choice(TOPICS)}按期完成", "上线后一个月内无一级缺陷"],
                "delivery_date": iso(end + D(days=15)),
            }
            if team and rng.random() < 0.6:
                data["team"] = team[:2]
                members = members[:2]
            project = Project(pid, manager.id, started, None, None, members, code, data)
            self.files[f"records/projects/{pid}.yaml"] = data
            return project
        data["execution_started_on"] = iso(executing)
        if closed:
            data["closed_on"] = iso(closed)
        data["requirements"] = {
            "summary": f"为客户完成{data['name']}，并打通{rng.choice(TOPICS)}",
            "goals": [f"{rng.choice(TOPICS)}按期完成", f"{rng.choice(TOPICS)}准确率达到 99.{rng.randint(1, 9)}% 以上"],
            "delivery_date": iso(end + D(days=15)),
            "confirmed_on": iso(started + D(days=rng.randint(3, 7))),
        }
        data["team"] = team
        attendees = [manager.id] + [m["person"] for m in team]
        data["kickoff"] = {"date": iso(kickoff), "attendees": attendees, "notes": "确认里程碑、分工和时间节点"}
        milestones = []
        count = rng.randint(3, 5)
        deviations: list[dict[str, Any]] = []
        for index in range(count):
            due = executing + D(days=length * (index + 1) // count)
            item: dict[str, Any] = {"id": f"M{index + 1}", "name": f"{rng.choice(TOPICS)}完成", "due": iso(due)}
            reached = phase in ("closed", "acceptance") or due < AS_OF - D(days=3)
            if reached:
                late = rng.random() < 0.15
                done = due + D(days=rng.randint(2, 9)) if late else due - D(days=rng.randint(0, 4))
                if late:
                    number = len(deviations) + 1
                    deviations.append(
                        {
                            "id": f"D{number}",
                            "found_on": iso(due - D(days=2)),
                            "area": "schedule",
                            "description": f"里程碑 M{index + 1} 推迟完成",
                            "cause": f"{rng.choice(TOPICS)}比计划晚",
                            "corrective_action": f"增派人手并行处理{rng.choice(TOPICS)}",
                            "closed_on": iso(done),
                        }
                    )
                item["done_on"] = iso(done)
            milestones.append(item)
        data["plan"] = {
            "schedule": {"summary": "调研、配置、试点、推广，按里程碑推进", "milestones": milestones},
            "quality": {"summary": "上线后一个月内无一级缺陷"},
            "cost": {"summary": f"人力 {rng.randint(100, 900)} 人天"},
            "submitted_on": iso(kickoff - D(days=rng.randint(0, 3))),
            "approved_by": superior,
            "approved_on": iso(kickoff + D(days=rng.randint(0, 2))),
        }
        amount = rng.randint(20, 300) * 10000
        data["budget"] = {"currency": "CNY", "amount": amount, "actual_cost": int(amount * rng.uniform(0.3, 0.98))}
        everyone = attendees
        data["meetings"] = [
            {"date": iso(day), "attendees": everyone, "notes": f"{rng.choice(VERBS)}{rng.choice(TOPICS)}"}
            for day in cadence(rng, executing, window_end, 14)
        ]
        data["customer_reports"] = [
            {"date": iso(day), "summary": f"汇报{rng.choice(TOPICS)}进展"}
            for day in cadence(rng, executing, window_end, 14)
        ]
        data["status_reports"] = [
            {
                "date": iso(day),
                "to": superior,
                "schedule": rng.choice(["green", "green", "green", "amber"]),
                "quality": "green",
                "cost": rng.choice(["green", "green", "amber"]),
                "summary": f"{rng.choice(TOPICS)}按计划推进",
            }
            for day in cadence(rng, executing, window_end, 30)
        ]
        if deviations:
            data["deviations"] = deviations
        if rng.random() < 0.5:
            raised = pick_date(rng, executing, min(window_end, AS_OF) - D(days=5))
            data["issues"] = [
                {
                    "id": "I1",
                    "raised_on": iso(raised),
                    "description": f"{rng.choice(TOPICS)}受阻",
                    "major": True,
                    "escalated_to": superior,
                    "escalated_on": iso(raised + D(days=1)),
                    "resolved_on": iso(raised + D(days=rng.randint(2, 4))),
                }
            ]
        if rng.random() < 0.5:
            received = pick_date(rng, executing, min(window_end, AS_OF) - D(days=4))
            data["feedback"] = [
                {
                    "received_on": iso(received),
                    "summary": f"希望调整{rng.choice(TOPICS)}",
                    "answered_on": iso(received + D(days=rng.randint(0, 2))),
                    "answer": f"已按要求调整{rng.choice(TOPICS)}",
                }
            ]
        data["risk_sweeps"] = [
            {"date": iso(day), "by": manager.id, "notes": f"关注{rng.choice(TOPICS)}，无新增重大风险"}
            for day in cadence(rng, executing, window_end, 30)
        ]
        if phase in ("closed", "acceptance"):
            specialist_ids = [m["person"] for m in team if m["role"] == "project_specialist"]
            acceptance: dict[str, Any] = {
                "self_check": {
                    "date": iso(application - D(days=rng.randint(2, 5))),
                    "organised_by": manager.id,
                    "participants": [manager.id, *specialist_ids, *[m["person"] for m in team][:1]],
                    "result": "passed",
                    "notes": "交付物逐项抽查通过",
                },
                "application": {"date": iso(application), "documents": ["验收申请书", "测试报告", "操作手册"]},
            }
            acceptance["self_check"]["participants"] = list(dict.fromkeys(acceptance["self_check"]["participants"]))
            if accepted:
                raised = application + D(days=2)
                acceptance["comments"] = [
                    {
                        "id": "A1",
                        "raised_on": iso(raised),
                        "comment": f"{rng.choice(TOPICS)}资料不完整",
                        "rectified_on": iso(raised + D(days=rng.randint(1, 4))),
                        "rectification": f"补充{rng.choice(TOPICS)}说明",
                    }
                ]
                acceptance["accepted_on"] = iso(accepted)
            data["acceptance"] = acceptance
        if accepted:
            retro = accepted + D(days=rng.randint(3, 15))
            if retro > AS_OF:
                retro = AS_OF
            data["retrospective"] = {
                "date": iso(retro),
                "participants": attendees,
                "summary": f"按期交付，{rng.choice(TOPICS)}一次通过",
                "lessons": [f"{rng.choice(TOPICS)}要提前准备", f"{rng.choice(TOPICS)}纳入风险登记"],
            }
        if closed:
            data["archive"] = {"location": f"档案库/{started.year}/{pid}", "archived_on": iso(closed)}
        project = Project(pid, manager.id, started, executing, closed, members, code, data)
        self.files[f"records/projects/{pid}.yaml"] = data
        return project

    # ---- risks
    def make_risks(self, count: int, years: list[int]) -> None:
        """Risks of the projects, identified while they ran; the recent ones of running projects still open."""
        rng = self.rng
        per_year: dict[int, int] = defaultdict(int)
        executed = [p for p in self.projects if p.executing and p.executing < AS_OF - D(days=15)]
        for _ in range(count):
            project = rng.choice(executed)
            assert project.executing is not None
            finish = project.closed or AS_OF
            identified = pick_date(rng, project.executing, finish - D(days=10))
            closes = identified + D(days=rng.randint(20, 35))
            open_risk = project.closed is None and (closes >= AS_OF or rng.random() < 0.5)
            if not open_risk and closes >= AS_OF:
                closes = AS_OF - D(days=1)
            if per_year[identified.year] >= 999:
                continue
            per_year[identified.year] += 1
            rid = f"RSK-{identified.year}-{per_year[identified.year]:03d}"
            category, title, description = rng.choice(RISK_TEXTS)
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            data: dict[str, Any] = {
                "id": rid,
                "title": title,
                "project": project.id,
                "category": category,
                "description": description,
                "identified_on": iso(identified),
                "identified_by": project.manager,
                "likelihood": likelihood,
                "impact": impact,
                "owner": project.manager,
                "status": "open" if open_risk else "closed",
            }
            end = AS_OF if open_risk else closes
            if not open_risk:
                data["closed_on"] = iso(end)
            checks = [
                {"date": iso(day), "by": project.manager, "effective": True, "note": "措施按计划执行"}
                for day in cadence(rng, identified, end, 28)
            ]
            response: dict[str, Any] = {
                "id": "R1",
                "type": rng.choice(["contingency_plan", "quality_control", "technical_change", "training"]),
                "action": f"{rng.choice(VERBS)}{rng.choice(TOPICS)}并准备备用方案",
                "owner": project.manager,
                "due": iso(identified + D(days=rng.randint(10, 25))),
            }
            if checks:
                response["checks"] = checks
            data["responses"] = [response]
            self.files[f"records/risks/{rid}.yaml"] = data

    # ---- reviews
    def periods(self) -> list[tuple[str, dt.date, dt.date]]:
        """Appraisal periods, the latest first: 2026Q3, 2026Q2, 2026Q1, 2025, 2025Q4, ..."""
        found = []
        year = AS_OF.year
        while year > 1990:
            for quarter in (4, 3, 2, 1):
                start = dt.date(year, 3 * quarter - 2, 1)
                end = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - D(days=1)
                if end + D(days=15) < AS_OF:
                    found.append((f"{year}Q{quarter}", start, end))
                if quarter == 4 and dt.date(year, 12, 31) + D(days=15) < AS_OF:
                    found.append((str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)))
            year -= 1
        return found

    def make_reviews(self, count: int) -> None:
        appraised = [p for p in self.people.values() if p.superior]
        work: dict[str, list[Project]] = defaultdict(list)
        for project in self.projects:
            work[project.manager].append(project)
            for member, _, _ in project.members:
                work[member].append(project)
        colleagues: dict[str, list[str]] = defaultdict(list)
        for person in appraised:
            colleagues[person.superior or ""].append(person.id)
        made = 0
        for period, start, end in self.periods():
            for person in appraised:
                if made >= count:
                    return
                if (end - person.joined).days < 60 or (person.left and person.left <= end):
                    continue
                self.review(person, period, start, end, work[person.id], colleagues)
                made += 1

    def review(
        self,
        person: Person,
        period: str,
        start: dt.date,
        end: dt.date,
        projects: list[Project],
        colleagues: dict[str, list[str]],
    ) -> None:
        rng = self.rng
        rid = f"REV-{person.id}-{period}"
        in_progress = end > AS_OF - D(days=70) and rng.random() < 0.04
        data: dict[str, Any] = {
            "id": rid,
            "person": person.id,
            "period": period,
            "status": "in_progress" if in_progress else "completed",
        }
        completed = end + D(days=rng.randint(1, 14))
        scores = [rng.choice([3, 3, 4, 4, 4, 5]) for _ in range(3)]
        low = end.year >= min(self.plans) and rng.random() < 0.04
        if low:
            scores[rng.randint(0, 2)] = 2
        grade = "C" if low else {5: "A", 4: "B", 3: "C"}[round(sum(scores) / 3)]
        band = {"A": rng.choice([4, 5]), "B": rng.choice([3, 4]), "C": rng.choice([2, 3])}[grade]
        peers = [c for c in colleagues[person.superior or ""] if c != person.id] or [
            p.id for p in self.staff("project_manager") if p.id not in (person.id, person.superior)
        ]
        peer = rng.choice(peers)
        if not in_progress:
            data["completed_on"] = iso(completed)
            data["indicators"] = {
                "results": {"score": scores[0], "comment": f"{rng.choice(TOPICS)}按期完成"},
                "ability": {"score": scores[1], "comment": f"{rng.choice(TOPICS)}处理熟练"},
                "attitude": {"score": scores[2], "comment": "工作主动，配合积极"},
            }
        assessments: dict[str, Any] = {
            "self": {"date": iso(end - D(days=rng.randint(0, 6))), "summary": f"本期主要负责{rng.choice(TOPICS)}。"}
        }
        if not in_progress:
            assessments["superior"] = {"assessor": person.superior, "date": iso(completed), "summary": "完成本期目标。"}
        assessments["peers"] = [{"assessor": peer, "date": iso(end + D(days=1)), "summary": "协作顺畅，乐于分享。"}]
        customers = []
        for project in projects:
            if project.executing is None or project.executing > end:
                continue
            if project.closed is not None and project.closed < start:
                continue
            if project.manager == person.id:
                joined, left = project.started, None
            else:
                joined, left = next((j, lft) for p, j, lft in project.members if p == person.id)
            if joined > end or (left is not None and left < start):
                continue
            customers.append(
                {
                    "project": project.id,
                    "date": iso(min(end, AS_OF)),
                    "summary": "响应及时，沟通清楚。",
                    "assessor_name": f"客户 {project.customer_code} 项目负责人",
                }
            )
        if customers and not in_progress:
            assessments["customers"] = customers
        data["assessments"] = assessments
        if low or (not in_progress and rng.random() < 0.02):
            area = rng.choice(["skills", "management", "communication"])
            plan_year = max(min(self.plans), end.year if len(period) > 4 else end.year + 1)
            if plan_year in self.plans:
                item = self.item_for(plan_year, area)
                data["shortcomings"] = [
                    {"area": area, "description": f"{rng.choice(TOPICS)}不够熟练", "training": item}
                ]
                latest = min(dt.date(plan_year, 12, 31), AS_OF - D(days=1), (person.left or AS_OF) - D(days=1))
                earliest = max(end - D(days=29), dt.date(plan_year, 1, 1))
                if earliest <= latest:
                    self.training_needs.append((person.id, item, earliest, latest))
        if not in_progress:
            data["outcome"] = {
                "grade": grade,
                "bonus_band": band,
                "promotion_eligible": grade == "A" and rng.random() < 0.3,
            }
        self.files[f"records/reviews/{rid}.yaml"] = data

    # ---- training sessions
    def make_sessions(self, count: int, years: list[int]) -> None:
        rng = self.rng
        per_year: dict[int, int] = defaultdict(int)
        sessions: list[tuple[str, dt.date, dict[str, Any]]] = []

        def new_session(item_ref: str, day: dt.date) -> dict[str, Any] | None:
            if per_year[day.year] >= 999:
                return None
            per_year[day.year] += 1
            sid = f"TRS-{day.year}-{per_year[day.year]:03d}"
            plan = self.plans[int(item_ref[4:8])]
            item = next(i for i in plan["items"] if i["id"] == item_ref[-3:])
            data = {
                "id": sid,
                "plan_item": item_ref,
                "title": item["title"],
                "date": iso(day),
                "hours": rng.choice([2, 3, 4, 6, 8]),
                "trainer": rng.choice(["外部讲师", "在线学习平台", self.name()]),
                "organiser": "EMP-0001",
                "methods": rng.sample(["lecture", "case_study", "discussion", "practice"], 2),
                "attendees": [],
                "outcomes": f"掌握{item['title']}的要点",
            }
            sessions.append((item_ref, day, data))
            return data

        for person, item_ref, earliest, latest in self.training_needs:
            session = next(
                (
                    s
                    for ref, day, s in sessions
                    if ref == item_ref and earliest <= day <= latest and len(s["attendees"]) < 12
                ),
                None,
            ) or new_session(item_ref, pick_date(rng, earliest, latest))
            if session is not None and person not in {a["person"] for a in session["attendees"]}:
                session["attendees"].append({"person": person, "result": "completed"})
        while len(sessions) < count:
            year = rng.choice(years)
            plan = self.plans[year]
            item = rng.choice(plan["items"])
            day = pick_date(rng, dt.date(year, 2, 1), min(dt.date(year, 12, 20), AS_OF - D(days=2)))
            session = new_session(f"TRP-{year}/{item['id']}", day)
            if session is None:
                break
            audience = [
                p.id
                for p in self.people.values()
                if set(p.roles) & set(item["audience"]) and p.joined <= day and (p.left is None or p.left > day)
            ]
            for pid in rng.sample(audience, min(len(audience), rng.randint(3, 10))):
                session["attendees"].append(
                    {"person": pid, "result": rng.choice(["completed", "passed", "passed", "absent"])}
                )
        for _, _, session in sessions:
            if not session["attendees"]:
                session["attendees"].append({"person": "EMP-0001", "result": "completed"})
            self.files[f"records/trainings/{session['id']}.yaml"] = session

    # ---- violations
    def inject_violations(self, share: float) -> None:
        """Give ``share`` of the records one violation each, of many kinds, as people make them."""
        rng = self.rng
        paths = sorted(self.files)
        for path in rng.sample(paths, max(1, round(len(paths) * share))):
            data = self.files[path]
            kind = path.split("/")[1]
            options = ["unknown-field", "placeholder"] + {
                "projects": [
                    "bad-phase",
                    "bad-date",
                    "no-retrospective",
                    "report-to-wrong-person",
                    "unknown-member",
                    "plan-approved-by-manager",
                ],
                "people": ["bad-role", "no-status"],
                "reviews": ["bad-period", "outcome-contradiction", "no-self-assessment"],
                "risks": ["focus-risk-unanswered", "unrated"],
                "trainings": ["attendee-twice", "no-such-plan-item"] if "plan_item" in data else ["no-items"],
            }[kind]
            name = rng.choice(options)
            if not self.violate(data, name):
                name = "unknown-field"
                data["remarks"] = "待补充"
            self.violations[path] = name

    @staticmethod
    def violate(data: dict[str, Any], name: str) -> bool:
        if name == "unknown-field":
            data["remarks"] = "待补充"
        elif name == "placeholder":
            key = next((k for k in ("title", "name", "outcomes", "description") if k in data), None)
            if key is None:
                return False
            data[key] = "<填写：名称 / fill in: Name>"
        elif name == "bad-phase":
            data["phase"] = "done"
        elif name == "bad-date":
            data["started_on"] = data["started_on"][:5] + "02-30"
        elif name == "no-retrospective":
            return data.pop("retrospective", None) is not None
        elif name == "report-to-wrong-person":
            if not data.get("status_reports"):
                return False
            data["status_reports"][0]["to"] = data["manager"]
        elif name == "unknown-member":
            if not data.get("team"):
                return False
            data["team"][0]["person"] = "EMP-9999"
        elif name == "plan-approved-by-manager":
            if "plan" not in data:
                return False
            data["plan"]["approved_by"] = data["manager"]
        elif name == "bad-role":
            data["roles"] = ["intern"]
        elif name == "no-status":
            del data["status"]
        elif name == "bad-period":
            data["period"] += "Q5"
        elif name == "outcome-contradiction":
            if "outcome" not in data:
                return False
            data["outcome"].update(grade="D", bonus_band=4)
        elif name == "no-self-assessment":
            return data.get("assessments", {}).pop("self", None) is not None and data["status"] == "completed"
        elif name == "focus-risk-unanswered":
            data.update(likelihood=5, impact=5, status="open")
            data.pop("responses", None)
            data.pop("closed_on", None)
        elif name == "unrated":
            del data["likelihood"]
        elif name == "attendee-twice":
            data["attendees"].append(dict(data["attendees"][0]))
        elif name == "no-such-plan-item":
            data["plan_item"] = data["plan_item"][:9] + "T99"
        elif name == "no-items":
            data["items"] = []
        return True


def generate(root: Path, size: int, seed: int = 9, violations: float = 0.03) -> Department:
    """Write a department of ``size`` record files under ``root/records`` (which must not exist yet)."""
    dept = Department(size, seed)
    sizes = dept.plan_sizes()
    years = list(range(AS_OF.year - sizes["years"] + 1, AS_OF.year + 1))
    dept.make_people(sizes["people"], years[0])
    dept.make_plans(years)
    dept.make_projects(sizes["projects"], years)
    dept.make_risks(sizes["risks"], years)
    dept.make_reviews(size - len(dept.files) - sizes["sessions"])
    dept.make_sessions(size - len(dept.files), years)
    dept.inject_violations(violations)
    for relative, data in dept.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
    return dept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    dept = generate(args.root, args.size, args.seed)
    print(f"{len(dept.files)} records, {len(dept.violations)} with a violation, as of {AS_OF}")


if __name__ == "__main__":
    main()
