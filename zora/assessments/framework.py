"""Framework files: parse, validate (JSON Schema + rules) and turn into a typed tree.

A file with any error is rejected whole; every error names the file, the line and what is
wrong. See frameworks/README.md for the format.
"""

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
SCHEMA_PATH = FRAMEWORKS_DIR / "schema.json"

SCORED_TYPES = frozenset(
    {"single", "checklist", "checkbox_matrix", "scale_matrix", "tristate_matrix", "yesno", "number"}
)
QUESTION_TYPES = SCORED_TYPES | {"text"}
AGGREGATIONS = ("mean", "weighted_mean", "sum")


@dataclass(frozen=True)
class Text:
    bg: str
    en: str

    def get(self, language: str) -> str:
        return self.bg if language == "bg" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"bg": self.bg, "en": self.en}


@dataclass(frozen=True)
class Level:
    code: str
    max: float
    title: Text
    narrative: Text | None


@dataclass(frozen=True)
class Item:
    code: str
    title: Text
    weight: float = 1.0
    exclusive: bool = False
    help: Text | None = None


@dataclass(frozen=True)
class Column:
    code: str
    title: Text
    weight: float = 1.0


@dataclass(frozen=True)
class Option:
    code: str
    title: Text
    points: float = 0.0


@dataclass(frozen=True)
class ScaleLabel:
    value: int
    title: Text


@dataclass
class Question:
    code: str
    type: str
    title: Text
    help: Text | None = None
    weight: float = 1.0
    allow_na: bool = False
    items: list[Item] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    scale_min: int = 0
    scale_max: int = 0
    scale_labels: list[ScaleLabel] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # tristate
    points: dict[str, float] = field(default_factory=dict)  # yesno
    min: float = 0.0
    max: float = 1.0
    unit: Text | None = None
    direction: str = "higher"

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES


@dataclass
class ProfileField:
    code: str
    input: str
    title: Text
    required: bool = False
    help: Text | None = None
    options: list[Option] = field(default_factory=list)


@dataclass
class Node:
    code: str
    title: Text
    description: Text | None
    weight: float
    aggregation: str
    levels: list[Level] | None
    recommendations: dict[str, Text]
    children: list["Node | Question"]

    def questions(self) -> Iterator[Question]:
        for child in self.children:
            if isinstance(child, Question):
                yield child
            else:
                yield from child.questions()

    def nodes(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.nodes()


@dataclass
class Framework:
    code: str
    version: int
    subject: str
    title: Text
    description: Text | None
    source: Text | None
    na_policy: str
    aggregation: str
    levels: list[Level]
    profile: list[ProfileField]
    dimensions: list[Node]
    definition: dict[str, Any]  # the parsed file, as stored in the database
    checksum: str

    def questions(self) -> list[Question]:
        return [q for d in self.dimensions for q in d.questions()]

    def scored_questions(self) -> list[Question]:
        return [q for q in self.questions() if q.is_scored]

    def nodes(self) -> list[Node]:
        return [n for d in self.dimensions for n in d.nodes()]

    def levels_for(self, node: Node | None) -> list[Level]:
        return node.levels if node is not None and node.levels else self.levels

    def level_for(self, score: float | None, node: Node | None = None) -> Level | None:
        """The first band whose max is >= score (25 → basic, 25.0001 → average)."""
        if score is None or score != score:  # None or NaN
            return None
        levels = self.levels_for(node)
        for level in levels:
            if score <= level.max:
                return level
        return levels[-1]


@dataclass(frozen=True)
class FrameworkError:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FrameworkInvalid(Exception):
    def __init__(self, errors: list[FrameworkError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. (YAML 1.1 would read yes, no, on, off as booleans,
    and `yes`/`no` are answer and item codes here.)"""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _line_of(root: yaml.Node | None, path: list[Any]) -> int | None:
    """Line (1-based) of the YAML node at `path` (keys and indexes), or its nearest parent."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
            if found is None:
                key = next((k for k, _ in node.value if getattr(k, "value", None) == step), None)
                return key.start_mark.line + 1 if key is not None else line
            node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _text(value: Any) -> Text | None:
    return Text(bg=value["bg"], en=value["en"]) if value else None


def _levels(raw: list[dict] | None) -> list[Level] | None:
    if not raw:
        return None
    return [
        Level(
            code=lv["code"],
            max=float(lv["max"]),
            title=Text(**lv["title"]),
            narrative=_text(lv.get("narrative")),
        )
        for lv in raw
    ]


def _items(raw: list[dict]) -> list[Item]:
    return [
        Item(
            code=i["code"],
            title=Text(**i["title"]),
            weight=float(i.get("weight", 1)),
            exclusive=bool(i.get("exclusive", False)),
            help=_text(i.get("help")),
        )
        for i in raw
    ]


def _options(raw: list[dict]) -> list[Option]:
    return [
        Option(code=o["code"], title=Text(**o["title"]), points=float(o.get("points", 0)))
        for o in raw
    ]


def _question(raw: dict) -> Question:
    q = Question(
        code=raw["code"],
        type=raw["type"],
        title=Text(**raw["title"]),
        help=_text(raw.get("help")),
        weight=float(raw.get("weight", 1)),
        allow_na=bool(raw.get("allow_na", False)),
        items=_items(raw.get("items", [])),
        columns=[
            Column(code=c["code"], title=Text(**c["title"]), weight=float(c.get("weight", 1)))
            for c in raw.get("columns", [])
        ],
        options=_options(raw.get("options", [])),
    )
    if q.type == "scale_matrix":
        q.scale_min, q.scale_max = int(raw["scale"]["min"]), int(raw["scale"]["max"])
        q.scale_labels = [
            ScaleLabel(value=int(lb["value"]), title=Text(**lb["title"]))
            for lb in raw["scale"]["labels"]
        ]
    if q.type == "tristate_matrix":
        q.values = {
            k: float(v)
            for k, v in (raw.get("values") or {"no": 0, "partially": 0.5, "yes": 1}).items()
        }
    if q.type == "yesno":
        q.points = {k: float(v) for k, v in (raw.get("points") or {"yes": 1, "no": 0}).items()}
    if q.type == "number":
        q.min, q.max = float(raw["min"]), float(raw["max"])
        q.unit = _text(raw.get("unit"))
        q.direction = raw.get("direction", "higher")
    return q


def _node(raw: dict) -> Node:
    return Node(
        code=raw["code"],
        title=Text(**raw["title"]),
        description=_text(raw.get("description")),
        weight=float(raw.get("weight", 1)),
        aggregation=raw.get("aggregation", "mean"),
        levels=_levels(raw.get("levels")),
        recommendations={k: Text(**v) for k, v in (raw.get("recommendations") or {}).items()},
        children=[_node(c) if "children" in c else _question(c) for c in raw["children"]],
    )


def _check_rules(data: dict, add: Any) -> None:
    """Rules a JSON Schema cannot say. `add(path, message)` records an error."""

    def check_levels(levels: list[dict], path: list[Any]) -> set[str]:
        previous = -1.0
        for i, level in enumerate(levels):
            if level["max"] <= previous:
                add([*path, i, "max"], "level bands must be in ascending order of 'max'")
            previous = level["max"]
        if levels and levels[-1]["max"] != 100:
            add([*path, len(levels) - 1, "max"], "the last level band must have max: 100")
        codes = [lv["code"] for lv in levels]
        if len(set(codes)) != len(codes):
            add(path, "level codes must be unique")
        return set(codes)

    framework_levels = check_levels(data["levels"], ["levels"])
    seen: dict[str, list[Any]] = {}

    def unique_code(code: str, path: list[Any]) -> None:
        if code in seen:
            add([*path, "code"], f"code '{code}' is used twice in this framework")
        seen[code] = path

    def unique_within(entries: list[dict], path: list[Any], what: str) -> None:
        codes = [e["code"] for e in entries]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                add([*path, i, "code"], f"{what} code '{code}' is used twice in this question")

    for i, profile_field in enumerate(data.get("profile", [])):
        path = ["profile", i]
        unique_code(profile_field["code"], path)
        if profile_field["input"] == "choice" and not profile_field.get("options"):
            add(path, "a profile field with input: choice needs options")

    def check_question(q: dict, path: list[Any]) -> None:
        unique_code(q["code"], path)
        for key in ("items", "columns", "options"):
            if key in q:
                unique_within(q[key], [*path, key], key[:-1])
        kind = q["type"]
        if kind == "checklist" and all(item.get("exclusive") for item in q["items"]):
            add([*path, "items"], "a checklist needs at least one item that is not exclusive")
        if (
            kind in {"checklist", "checkbox_matrix"}
            and sum(item.get("weight", 1) for item in q["items"] if not item.get("exclusive")) <= 0
        ):
            add([*path, "items"], "the items' weights must add up to more than 0")
        if kind == "checkbox_matrix" and any(item.get("exclusive") for item in q["items"]):
            add([*path, "items"], "exclusive items are only allowed in a checklist")
        if kind == "scale_matrix":
            scale = q["scale"]
            if scale["min"] >= scale["max"]:
                add([*path, "scale"], "scale min must be below max")
            for j, label in enumerate(scale["labels"]):
                if not scale["min"] <= label["value"] <= scale["max"]:
                    add([*path, "scale", "labels", j, "value"], "label value outside the scale")
        if kind == "single" and max(o.get("points", 0) for o in q["options"]) <= 0:
            add([*path, "options"], "at least one option must give more than 0 points")
        if kind == "tristate_matrix" and "values" in q:
            values = q["values"]
            if not values["no"] <= values["partially"] <= values["yes"] or values["yes"] <= 0:
                add([*path, "values"], "values must satisfy no <= partially <= yes, with yes > 0")
        if kind == "yesno" and "points" in q and max(q["points"].values()) <= 0:
            add([*path, "points"], "yes or no must give more than 0 points")
        if kind == "number" and q["min"] >= q["max"]:
            add([*path, "min"], "number min must be below max")

    def check_node(node: dict, path: list[Any], levels: set[str]) -> None:
        unique_code(node["code"], path)
        own = check_levels(node["levels"], [*path, "levels"]) if node.get("levels") else levels
        for code in node.get("recommendations", {}):
            if code not in own:
                add([*path, "recommendations", code], f"recommendation for unknown level '{code}'")
        scored = 0
        for j, child in enumerate(node["children"]):
            if "children" in child:
                check_node(child, [*path, "children", j], own)
                scored += 1
            else:
                check_question(child, [*path, "children", j])
                scored += child["type"] != "text"
        if scored == 0:
            add(path, "a dimension needs at least one scored question")

    for i, dimension in enumerate(data["dimensions"]):
        check_node(dimension, ["dimensions", i], framework_levels)


def parse_framework(text: str, filename: str = "<framework>") -> Framework:
    """Parses and validates one framework file's text; raises FrameworkInvalid."""
    errors: list[FrameworkError] = []
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkInvalid(
            [
                FrameworkError(
                    filename, mark.line + 1 if mark else None, f"not valid YAML: {problem}"
                )
            ]
        ) from exc
    if not isinstance(data, dict):
        raise FrameworkInvalid([FrameworkError(filename, 1, "the file must be a YAML mapping")])

    for error in sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        where = "/".join(str(p) for p in path) or "(top level)"
        errors.append(FrameworkError(filename, _line_of(root, path), f"{where}: {error.message}"))
    if not errors:

        def add(path: list[Any], message: str) -> None:
            where = "/".join(str(p) for p in path)
            errors.append(FrameworkError(filename, _line_of(root, path), f"{where}: {message}"))

        _check_rules(data, add)
    if errors:
        raise FrameworkInvalid(errors)

    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return build_framework(data, hashlib.sha256(canonical.encode()).hexdigest())


def build_framework(data: dict[str, Any], checksum: str) -> Framework:
    """The typed tree of an already validated definition (as stored in the database)."""
    return Framework(
        code=data["code"],
        version=int(data["version"]),
        subject=data["subject"],
        title=Text(**data["title"]),
        description=_text(data.get("description")),
        source=_text(data.get("source")),
        na_policy=data.get("na_policy", "exclude"),
        aggregation=data.get("aggregation", "mean"),
        levels=_levels(data["levels"]) or [],
        profile=[
            ProfileField(
                code=p["code"],
                input=p["input"],
                title=Text(**p["title"]),
                required=bool(p.get("required", False)),
                help=_text(p.get("help")),
                options=_options(p.get("options", [])),
            )
            for p in data.get("profile", [])
        ],
        dimensions=[_node(d) for d in data["dimensions"]],
        definition=data,
        checksum=checksum,
    )


def parse_framework_file(path: Path) -> Framework:
    framework = parse_framework(path.read_text(encoding="utf-8"), path.name)
    expected = f"{framework.code}-v{framework.version}.yaml"
    if path.name != expected:
        raise FrameworkInvalid(
            [
                FrameworkError(
                    path.name,
                    1,
                    f"the file of {framework.code} version {framework.version} must be named {expected}",
                )
            ]
        )
    return framework


def framework_files(directory: Path = FRAMEWORKS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))
