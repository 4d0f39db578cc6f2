"""Hypothesis strategies for hostile record files: random bytes, grammar-made YAML and mutated samples.

Each strategy gives a :class:`Case`: where the file goes in the tiny world of ``conftest.py`` and its
bytes. The grammar builds YAML text (not data dumped by a library) so that it reaches what a person
editing by hand can write: anchors and aliases, tags, every quoting style, block scalars, flow
collections, CJK and control characters, huge numbers, BOMs, document markers and all three line breaks
of YAML 1.2 mixed in one file, as well as text that is almost YAML but not quite.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ..conftest import REPO


@dataclass(frozen=True)
class Case:
    """One hostile file: its repository-relative path and its bytes."""

    path: str
    raw: bytes

    def __repr__(self) -> str:  # what the falsifying example shows: short enough to paste into a test
        return f"Case(path={self.path!r}, raw={self.raw!r})"


# Where a new record of each kind goes (an ID that matches its file name) and its schema.
NEW_RECORDS = {
    "person": ("records/people/EMP-0099.yaml", "EMP-0099"),
    "project": ("records/projects/PRJ-2026-099.yaml", "PRJ-2026-099"),
    "review": ("records/reviews/REV-EMP-0002-2026Q2.yaml", "REV-EMP-0002-2026Q2"),
    "risk": ("records/risks/RSK-2026-099.yaml", "RSK-2026-099"),
    "training-plan": ("records/trainings/TRP-2027.yaml", "TRP-2027"),
    "training-session": ("records/trainings/TRS-2026-099.yaml", "TRS-2026-099"),
}
SAMPLES = sorted(path.relative_to(REPO).as_posix() for path in (REPO / "records").rglob("*.yaml"))


def _property_names(schema: Any, into: set[str]) -> set[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                into.update(value)
            _property_names(value, into)
    elif isinstance(schema, list):
        for item in schema:
            _property_names(item, into)
    return into


def _schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return loaded


# The field names of the real schemas, so that odd values reach the rules, not only the schema check.
TOP_KEYS = {kind: sorted(_schema(kind).get("properties", {})) for kind in NEW_RECORDS}
ALL_KEYS = sorted(set().union(*(_property_names(_schema(kind), set()) for kind in NEW_RECORDS)))
IDS = sorted({path.rsplit("/", 1)[1].removesuffix(".yaml") for path in SAMPLES})

# --- scalars ---------------------------------------------------------------------------------------

# Text as people type it: any letter or symbol, CJK, YAML's indicators and quotes (no control characters).
PRINTABLE = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("交付运营部项目经理风险考核培训记录中文：，。、'\"\\:#&*!|>-?,[]{}%@` \u3000éß€😀\u200b\u202e"),
)
# Characters that break naive code: C0/C1 controls, NUL, DEL, ESC, the breaks YAML 1.2 does not count as
# line breaks (NEL, LS, PS), BOM and other non-characters, tab, and the line breaks themselves.
ODD_CHARACTERS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x80\x85\x9f\u2028\u2029\ufeff\ufffe\uffff\t\r\n"
printable_text = st.text(alphabet=PRINTABLE, max_size=30)
odd_text = st.text(alphabet=st.one_of(PRINTABLE, st.sampled_from(ODD_CHARACTERS)), max_size=30)
SPECIAL_SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "False",
    "no",
    "yes",
    "on",
    "off",
    "y",
    "n",
    ".nan",
    ".NaN",
    ".inf",
    "-.Inf",
    "+.INF",
    "0",
    "-0",
    "007",
    "0o17",
    "0o9",
    "0x1F",
    "0xg",
    "1_000",
    "1e400",
    "-1e-400",
    "3.",
    ".5",
    "1.5e3",
    "2026-06-30",
    "2026-13-45",
    "2026-02-30",
    "2026-06-30T12:00:00Z",
    "12:30",
    "2026-1-5",
    "2026Q5",
    "2026Q2",
    "<<",
    "=",
    "EMP-0001",
    "EMP-0002",
    "PRJ-2026-008",
    "RSK-2026-017",
    "active",
    "left",
    "closed",
    "department_head",
    "project_manager",
    "high",
    "low",
    "9" * 50,
]
big_integers = st.builds(
    lambda digits, sign, base: sign + ("0x" + "f" * digits if base == 16 else "1" + "0" * digits),
    st.integers(min_value=1, max_value=6000),
    st.sampled_from(["", "-", "+"]),
    st.sampled_from([10, 10, 16]),
)
dates = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(min_value=0, max_value=9999),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=0, max_value=32),
)


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each as often as its weight says."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


# Per scalar, about 1 in 30 has a control character: most files get past the reader to the rules.
scalar_text = weighted(
    (6, st.sampled_from(SPECIAL_SCALARS)),
    (4, st.sampled_from(IDS)),
    (8, printable_text),
    (3, dates),
    (3, big_integers),
    (2, st.integers().map(str)),
    (2, st.floats().map(repr)),
    (1, odd_text),
)
TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!map",
    "!!seq",
    "!!binary",
    "!!timestamp",
    "!!set",
    "!!omap",
    "!custom",
    "!",
    "!<tag:yaml.org,2002:str>",
    "!<tag:yaml.org,2002:map>",
    "!e!x",
    "!!python/object",
]
ANCHORS = ["a", "b", "x1", "a", "b", "x1", "锚"]  # libyaml allows ASCII letters and digits only


@dataclass
class Scalar:
    text: str
    style: str  # plain, single, double, literal, folded


@dataclass
class Seq:
    items: list[Node]
    flow: bool


@dataclass
class Map:
    items: list[tuple[str, Node]]
    flow: bool


@dataclass
class Alias:
    name: str


@dataclass
class Props:
    """An anchor and/or a tag before a node."""

    node: Scalar | Seq | Map
    anchor: str | None
    tag: str | None


Node = Scalar | Seq | Map | Alias | Props


@st.composite
def _with_props(draw: st.DrawFn, node: st.SearchStrategy[Scalar | Seq | Map]) -> Node:
    """Mostly the node itself; now and then with an anchor or a tag, or an alias instead."""
    # Hypothesis favours the bounds of a range and shrinks towards 0: those give the plain node.
    roll = draw(st.integers(min_value=0, max_value=999))
    if 400 <= roll < 425:
        return Alias(draw(st.sampled_from(ANCHORS)))
    if 600 <= roll < 700:
        anchor = draw(st.one_of(st.none(), st.sampled_from(ANCHORS)))
        return Props(draw(node), anchor, draw(st.sampled_from(TAGS)) if anchor is None else None)
    return draw(node)


scalars = st.builds(Scalar, scalar_text, st.sampled_from(["plain", "plain", "single", "double", "literal", "folded"]))
keys = weighted(
    (12, st.sampled_from(ALL_KEYS)),
    (2, st.sampled_from(["id", "<<", "? x", "key with space", "键", "'quoted'", '"双引号"'])),
    (2, printable_text),
    (1, odd_text),
)


def _nodes(depth: int) -> st.SearchStrategy[Node]:
    """A scalar, or (above depth 0) a list or mapping of up to three nodes of the next depth."""
    leaf = _with_props(scalars)
    if depth == 0:
        return leaf
    child = _nodes(depth - 1)
    collection = st.one_of(
        st.builds(Seq, st.lists(child, max_size=3), st.booleans()),
        st.builds(Map, st.lists(st.tuples(keys, child), max_size=3), st.booleans()),
    )
    return weighted((3, leaf), (2, _with_props(collection)))


nodes = _nodes(3)


# --- rendering -------------------------------------------------------------------------------------

_DOUBLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0", "\x1b": "\\e"}


def _scalar(node: Scalar, flow: bool) -> tuple[str, list[str]]:
    """The scalar as text after its key or dash, and the lines of a block scalar below it."""
    text = node.text
    style = node.style
    if flow and style in ("literal", "folded"):
        style = "double"
    if style == "plain" and text[:1] in ("*", "&", "!", "%", "@", "`"):  # would be an alias, anchor, tag...
        style = "single"  # (those come from the grammar itself, as often as wanted)
    if style == "single":
        return "'" + text.replace("'", "''") + "'", []
    if style == "double":
        escaped = "".join(_DOUBLE_ESCAPES.get(char, char) for char in text)
        return f'"{escaped}"', []
    if style in ("literal", "folded"):
        indicator = ("|" if style == "literal" else ">") + ("-" if text.endswith("x") else "")
        return indicator, text.split("\n") or [""]
    return text, []


def _inline(node: Node) -> str:
    """A node in flow style (inside [...] or {...}, or after a key on the same line)."""
    if isinstance(node, Alias):
        return f"*{node.name}"
    if isinstance(node, Props):
        prefix = " ".join(p for p in (node.anchor and f"&{node.anchor}", node.tag) if p)
        return f"{prefix} {_inline(node.node)}"
    if isinstance(node, Scalar):
        return _scalar(node, flow=True)[0]
    if isinstance(node, Seq):
        return "[" + ", ".join(_inline(item) for item in node.items) + "]"
    return "{" + ", ".join(f"{key}: {_inline(value)}" for key, value in node.items) + "}"


def _block(node: Node, indent: int) -> tuple[str, list[str]]:
    """A node after ``key:`` or ``-``: what goes on that line, and the lines below it."""
    pad = " " * indent
    if isinstance(node, Alias):
        return f" *{node.name}", []
    if isinstance(node, Props):
        prefix = " ".join(p for p in (node.anchor and f"&{node.anchor}", node.tag) if p)
        head, below = _block(node.node, indent)
        return f" {prefix}{head}", below
    if isinstance(node, Scalar):
        head, below = _scalar(node, flow=False)
        return f" {head}", [pad + line for line in below]
    if node.flow or not node.items:
        return f" {_inline(node)}", []
    lines: list[str] = []
    if isinstance(node, Seq):
        for item in node.items:
            head, below = _block(item, indent + 2)
            lines.append(f"{pad}-{head}")
            lines.extend(below)
    else:
        for key, value in node.items:
            head, below = _block(value, indent + 2)
            lines.append(f"{pad}{key}:{head}")
            lines.extend(below)
    return "", lines


def render(top: list[tuple[str, Node]], breaks: list[str], frame: dict[str, Any]) -> bytes:
    lines: list[str] = []
    if frame["directive"]:
        lines += ["%YAML 1.2", "---"]
    elif frame["start"]:
        lines.append("---")
    for key, value in top:
        head, below = _block(value, 2)
        lines.append(f"{key}:{head}{frame['trailing']}")
        lines.extend(below)
        if frame["comment"]:
            lines.append("# 注释 comment")
    if frame["end"]:
        lines.append("...")
    text = "".join(line + breaks[i % len(breaks)] for i, line in enumerate(lines))
    if not frame["final_break"]:
        text = text.rstrip("\r\n")
    text = ("\ufeff" if frame["bom"] else "") + text
    return text.encode("utf-8", errors="surrogatepass")


@st.composite
def grammar_records(draw: st.DrawFn) -> Case:
    """A record written by the grammar: the kind's own field names with odd values, or odd ones."""
    kind = draw(st.sampled_from(sorted(NEW_RECORDS)))
    path, record_id = NEW_RECORDS[kind]
    field_names = st.one_of(st.sampled_from(TOP_KEYS[kind]), keys)
    top: list[tuple[str, Node]] = []
    if draw(st.booleans()):
        top.append(("id", draw(st.one_of(st.just(Scalar(record_id, "plain")), nodes))))
    top += draw(st.lists(st.tuples(field_names, nodes), min_size=1, max_size=8))
    one_kind = st.sampled_from([["\n"], ["\r\n"], ["\r"]])
    mixed = st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=2, max_size=4)
    breaks = draw(st.one_of(one_kind, mixed))
    frame = draw(
        st.fixed_dictionaries(
            {name: st.booleans() for name in ("directive", "start", "end", "comment", "final_break", "bom")}
            | {"trailing": st.sampled_from(["", "", " ", "\t", " # 注释", "\x85", "\u2028"])}
        )
    )
    return Case(path, render(top, breaks, frame))


# --- random bytes ----------------------------------------------------------------------------------


@st.composite
def random_files(draw: st.DrawFn) -> Case:
    """Bytes with no structure, or text with no structure, as a record of any kind."""
    path = draw(st.sampled_from([path for path, _ in NEW_RECORDS.values()] + SAMPLES[:3]))
    raw = draw(
        st.one_of(
            st.binary(max_size=600),
            st.text(alphabet=st.sampled_from(ODD_CHARACTERS + "abc交付: -\n"), max_size=200).map(
                lambda text: text.encode("utf-8", errors="surrogatepass")
            ),
            st.text(max_size=200).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
        )
    )
    return Case(path, raw)


# --- mutated samples -------------------------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")
INSERTS = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "\r",
            "\n",
            "\r\n",
            "\t",
            "\x85",
            "\u2028",
            "\ufeff",
            "\x1b[31m",
            "中文",
            "：",
            "- ",
            ": ",
            "#",
            "&a ",
            "*a",
            "!!map ",
            "!!int ",
            "!custom ",
            "{",
            "[",
            "'",
            '"',
            "|\n",
            "---\n",
            "<<: {}\n",
            ".nan",
            "1" * 5000,
            "0x" + "f" * 4400,
            "\\",
            "  ",
            "? ",
            "%",
            "@",
            "`",
        ]
    ),
    odd_text,
)
# Edits, the commoner ones repeated: a value replaced and a line deleted keep most files valid YAML.
OPERATIONS = [
    *["value"] * 3,
    *["delete"] * 2,
    *["duplicate", "swap", "indent", "flip", "insert", "breaks", "truncate", "line"],
]


@st.composite
def _mutate(draw: st.DrawFn, text: str) -> str:
    lines = _BREAK.split(text)
    op = draw(st.sampled_from(OPERATIONS))
    line = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
    if op == "delete" and lines:
        del lines[line]
    elif op == "duplicate" and lines:
        lines.insert(line, lines[line])
    elif op == "swap" and lines:
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines[line], lines[other] = lines[other], lines[line]
    elif op == "indent" and lines:
        indent = draw(st.sampled_from(["", " ", "  ", "   ", "    ", "\t", " \t", "\u3000"]))
        lines[line] = indent + lines[line].lstrip(" ") if draw(st.booleans()) else indent + lines[line]
    elif op == "line" and lines:  # a whole line replaced by a grammar-made one
        key, value = draw(st.tuples(keys, nodes))
        head, below = _block(value, 2)
        lines[line : line + 1] = [f"{key}:{head}", *below]
    elif op == "value" and lines and ":" in lines[line]:  # a value replaced, its key kept
        head, _, _ = lines[line].partition(":")
        lines[line] = f"{head}: {draw(scalar_text)}"
    else:
        joined = "\n".join(lines)
        at = draw(st.integers(min_value=0, max_value=len(joined)))
        if op == "flip" and joined:
            at = min(at, len(joined) - 1)
            joined = joined[:at] + draw(st.one_of(PRINTABLE, st.sampled_from(ODD_CHARACTERS))) + joined[at + 1 :]
        elif op == "insert":
            joined = joined[:at] + draw(INSERTS) + joined[at:]
        elif op == "breaks":
            joined = joined.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\r", "\x85", "\u2028"])))
        elif op == "truncate":
            joined = joined[:at]
        return joined
    return "\n".join(lines)


@st.composite
def mutated_samples(draw: st.DrawFn) -> Case:
    """A sample record from records/ after a few edits: lines lost, moved, re-indented, characters changed."""
    path = draw(st.sampled_from(SAMPLES))
    text = (REPO / path).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        text = draw(_mutate(text))
    raw = text.encode("utf-8", errors="surrogatepass")
    if raw and draw(st.integers(min_value=0, max_value=5)) == 0:  # now and then a byte that is not UTF-8
        at = draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw = raw[:at] + bytes([draw(st.integers(min_value=0x80, max_value=0xFF))]) + raw[at + 1 :]
    return Case(path, raw)
