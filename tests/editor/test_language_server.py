"""Editor support, checked with the language server that VS Code's YAML extension runs.

``.vscode/settings.json`` maps each ``records/<kind>/`` folder to its schema. These tests start the
pinned ``yaml-language-server`` (``tests/editor/package.json``; ``.ci/run`` installs it with
``npm ci``) as a subprocess, speak the Language Server Protocol to it over stdio, hand it the
``yaml`` settings of that committed file, and check what someone editing a record sees: an error
on the line of a wrong value, the fields to fill in offered as completions, and the bilingual
description of a field on hover.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dops.core.kinds import KINDS

from ..conftest import REPO, make_repo

HERE = Path(__file__).resolve().parent
SERVER = HERE / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SETTINGS_FILE = REPO / ".vscode" / "settings.json"
WAIT = 30.0  # seconds, for any one answer from the server


def vscode_settings() -> dict[str, Any]:
    """The committed workspace settings (kept to plain JSON, without comments, so that json reads them)."""
    return json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))


def section(settings: dict[str, Any], name: str) -> dict[str, Any]:
    """One configuration section as VS Code hands it to an extension: ``yaml.a.b`` → ``{"a": {"b": …}}``."""
    found: dict[str, Any] = {}
    for key, value in settings.items():
        if not key.startswith(name + "."):
            continue
        *parents, leaf = key[len(name) + 1 :].split(".")
        target = found
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return found


# --- A minimal LSP client -------------------------------------------------------------------------


class ServerGone(Exception):
    pass


class LanguageClient:
    """JSON-RPC over the server's stdin/stdout, framed with Content-Length headers.

    A reader thread answers the server's own requests (``workspace/configuration`` from
    ``configuration``) and queues everything else for the test to wait on.
    """

    def __init__(self, argv: list[str], configuration: dict[str, Any]) -> None:
        self.configuration = configuration
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._write_lock = threading.Lock()
        self._next_id = 0
        self._responses: dict[int, queue.Queue] = {}
        self._notifications: list[dict[str, Any]] = []
        self._arrived = threading.Condition()
        self._stderr: list[str] = []
        self.configuration_requests = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # Wire format

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        with self._write_lock:
            assert self.process.stdin is not None
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                self._dispatch(json.loads(stream.read(length).decode("utf-8")))
        finally:
            with self._arrived:
                self._arrived.notify_all()
            for waiting in self._responses.values():
                waiting.put(None)

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line.decode("utf-8", "replace"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:
            self._answer(message)
        elif "id" in message:
            waiting = self._responses.get(message["id"])
            if waiting is not None:
                waiting.put(message)
        else:
            with self._arrived:
                self._notifications.append(message)
                self._arrived.notify_all()

    def _answer(self, request: dict[str, Any]) -> None:
        method = request["method"]
        if method == "workspace/configuration":
            self.configuration_requests += 1
            items = request["params"]["items"]
            self._send({"id": request["id"], "result": [self.configuration.get(i.get("section")) for i in items]})
        elif method in ("client/registerCapability", "client/unregisterCapability", "window/workDoneProgress/create"):
            self._send({"id": request["id"], "result": None})
        else:
            self._send({"id": request["id"], "error": {"code": -32601, "message": f"not handled: {method}"}})

    # What the tests use

    def log(self) -> str:
        return "".join(self._stderr)[-4000:]

    def request(self, method: str, params: dict[str, Any] | None, timeout: float = WAIT) -> Any:
        self._next_id += 1
        waiting: queue.Queue = queue.Queue()
        self._responses[self._next_id] = waiting
        self._send({"id": self._next_id, "method": method, "params": params})
        try:
            response = waiting.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no answer to {method} within {timeout:.0f} s; server log:\n{self.log()}") from None
        if response is None:
            raise ServerGone(f"the server exited during {method}; server log:\n{self.log()}")
        if "error" in response:
            raise AssertionError(f"{method} failed: {response['error']}")
        return response.get("result")

    def notify(self, method: str, params: dict[str, Any] | None) -> None:
        self._send({"method": method, "params": params})

    def mark(self) -> int:
        """A point in the stream of notifications, for ``wait_for(since=…)``."""
        with self._arrived:
            return len(self._notifications)

    def wait_for(
        self, what: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = WAIT, since: int = 0
    ) -> dict[str, Any]:
        """The first notification after ``since`` that ``predicate`` accepts, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        seen = since
        with self._arrived:
            while True:
                for message in self._notifications[seen:]:
                    if predicate(message):
                        return message
                seen = len(self._notifications)
                if self.process.poll() is not None:
                    raise ServerGone(f"the server exited while waiting for {what}; server log:\n{self.log()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {what} within {timeout:.0f} s; server log:\n{self.log()}")
                self._arrived.wait(left)

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.process.wait(timeout=5)
        except (TimeoutError, ServerGone, AssertionError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


# --- An editor session on a copy of the repository ------------------------------------------------


class Editor:
    """What an editor does on the user's behalf: open files, ask for diagnostics, completion, hover."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self._versions: dict[str, int] = {}
        self._edited_at: dict[str, int] = {}

    def open(self, relative: str, text: str | None = None) -> str:
        """Open the file, or replace its whole text if it is open already; returns its URI.

        ``text`` given is written to the file first, as if it had been saved.
        """
        path = self.root / relative
        if text is None:
            text = path.read_text(encoding="utf-8")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self._edited_at[uri] = self.client.mark()
        version = self._versions[uri] = self._versions.get(uri, 0) + 1
        if version == 1:
            self.client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}},
            )
        else:
            self.client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
            )
        return uri

    def diagnostics(
        self, uri: str, *, wanted: Callable[[list[dict]], bool] = lambda found: True, timeout: float = WAIT
    ) -> list[dict[str, Any]]:
        """The first diagnostics published for ``uri``'s latest text that ``wanted`` accepts."""
        message = self.client.wait_for(
            f"diagnostics for {uri}",
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and wanted(m["params"]["diagnostics"])
            ),
            timeout,
            since=self._edited_at[uri],
        )
        return message["params"]["diagnostics"]

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        result = self.client.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        return (result or {}).get("items", []) if isinstance(result, dict) else (result or [])

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
        )
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)


def _sample_records() -> dict[str, str]:
    return {
        path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((REPO / "records").rglob("*.yaml"))
    }


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory):
    """The language server on a copy of the repository, configured from .vscode/settings.json."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        reason = (
            "the editor tests need Node.js and the pinned yaml-language-server: "
            "run `npm ci --prefix tests/editor` (.ci/run does)"
        )
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)

    root = make_repo(tmp_path_factory.mktemp("editor") / "repo", _sample_records())
    (root / ".vscode").mkdir()
    shutil.copy(SETTINGS_FILE, root / ".vscode" / "settings.json")

    settings = vscode_settings()
    yaml_settings = section(settings, "yaml")
    # The schema store is a catalogue on the internet; the tests stay offline, and a proxy on a
    # closed loopback port makes any other fetch fail at once instead of leaving the machine.
    yaml_settings["schemaStore"] = {"enable": False}
    configuration = {
        "yaml": yaml_settings,
        "http": {"proxy": "http://127.0.0.1:9", "proxyStrictSSL": True},
        "[yaml]": settings.get("[yaml]", {}),
        "editor": section(settings, "editor"),
    }

    client = LanguageClient([node, str(SERVER), "--stdio"], configuration)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "clientInfo": {"name": "dops-tests"},
                "locale": "en",
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {
                    "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}},
                    "textDocument": {
                        "synchronization": {"dynamicRegistration": False},
                        "completion": {
                            "completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]}
                        },
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {"relatedInformation": True},
                    },
                },
            },
        )
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": {"yaml": yaml_settings}})
        editor = Editor(client, root)
        # The server applies its settings in the background: once a record outside the schema gets
        # an error, they are in force, and a record without one is judged with them.
        probe = editor.open("records/risks/RSK-0000-000.yaml", "id: RSK-0000-000\nnot_a_field: 1\n")
        editor.diagnostics(probe, wanted=bool)
        client.notify("textDocument/didClose", {"textDocument": {"uri": probe}})
        (root / "records" / "risks" / "RSK-0000-000.yaml").unlink()
        yield editor
    finally:
        client.close()


def line_of(text: str, start: str) -> int:
    """The 0-based number of the first line that starts with ``start``."""
    return next(number for number, line in enumerate(text.splitlines()) if line.startswith(start))


def schema(kind: str) -> dict[str, Any]:
    return json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


# --- The committed files --------------------------------------------------------------------------


def test_settings_map_every_kind_and_the_config_to_a_schema_that_exists():
    mapped = vscode_settings()["yaml.schemas"]
    expected = {f"./schemas/{kind.schema_file}" for kind in KINDS.values()} | {"./schemas/config.schema.json"}
    assert set(mapped) == expected
    for schema_path in mapped:
        assert (REPO / schema_path).is_file(), schema_path
    assert mapped["./schemas/config.schema.json"] == ["dops.yaml"]
    for kind in KINDS.values():
        assert all(glob.startswith(f"records/{kind.folder}/") for glob in mapped[f"./schemas/{kind.schema_file}"])


def test_extensions_recommend_the_yaml_extension():
    recommended = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in recommended["recommendations"]


# --- What someone editing a record sees -----------------------------------------------------------

BROKEN_PROJECT = """\
id: PRJ-2026-090
name: 测试项目
phase: done
manager: EMP-0003
customer: {code: C-021, full_name: 某客户}
started_on: 2026-01-05
"""


def test_a_wrong_value_is_reported_on_its_line_with_the_allowed_values(editor: Editor):
    uri = editor.open("records/projects/PRJ-2026-090.yaml", BROKEN_PROJECT)
    found = editor.diagnostics(uri, wanted=bool)
    phase_line = line_of(BROKEN_PROJECT, "phase:")
    on_phase = [d for d in found if d["range"]["start"]["line"] == phase_line]
    assert on_phase, f"no diagnostic on line {phase_line + 1}: {found}"
    message = on_phase[0]["message"]
    for allowed in schema("project")["properties"]["phase"]["enum"]:
        assert allowed in message
    assert on_phase[0].get("severity") == 1  # an error, not a hint
    assert len(found) == 1, found  # the rest of the record is valid


def test_a_missing_required_field_and_an_unknown_field_are_reported(editor: Editor):
    text = "id: PRJ-2026-091\nname: 测试项目\nphase: execution\nmanger: EMP-0003\n"
    uri = editor.open("records/projects/PRJ-2026-091.yaml", text)
    found = editor.diagnostics(uri, wanted=bool)
    messages = " | ".join(d["message"] for d in found)
    assert any(d["range"]["start"]["line"] == line_of(text, "manger:") and "manger" in d["message"] for d in found), (
        messages
    )
    for required in ("manager", "customer", "started_on"):
        assert required in messages


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_records_folder_gets_its_own_schema(editor: Editor, kind: str):
    """Hovering over ``id`` in a sample record shows that kind's title for it, so the right schema is in use."""
    prefix = KINDS[kind].prefix
    relative = next(path for path in _sample_records() if Path(path).name.startswith(prefix))
    uri = editor.open(relative)
    shown = editor.hover(uri, line_of((editor.root / relative).read_text(encoding="utf-8"), "id:"), 1)
    assert schema(kind)["properties"]["id"]["title"] in shown, shown


def test_the_settings_file_gets_the_config_schema(editor: Editor):
    text = (editor.root / "dops.yaml").read_text(encoding="utf-8")
    uri = editor.open("dops.yaml")
    shown = editor.hover(uri, line_of(text, "cadences:"), 2)
    assert schema("config")["properties"]["cadences"]["title"] in shown, shown
    broken = text.replace("language: zh", "language: fr")
    uri = editor.open("dops.yaml", broken)  # reopened with new content, as after an edit
    found = editor.diagnostics(uri, wanted=bool)
    assert [d["range"]["start"]["line"] for d in found] == [line_of(broken, "language:")], found


def test_every_sample_record_opens_without_a_problem(editor: Editor):
    """The editor and `dops check` read the schemas alike: no false alarm on records that pass."""
    uris = {relative: editor.open(relative) for relative in _sample_records()}
    problems = {
        relative: [f"line {d['range']['start']['line'] + 1}: {d['message']}" for d in editor.diagnostics(uri)]
        for relative, uri in uris.items()
    }
    assert {relative: found for relative, found in problems.items() if found} == {}


def test_completion_offers_the_required_fields_of_an_almost_empty_record(editor: Editor):
    uri = editor.open("records/projects/PRJ-2026-092.yaml", "id: PRJ-2026-092\n")
    labels = {item["label"] for item in editor.completion(uri, 1, 0)}
    required = set(schema("project")["required"]) - {"id"}
    assert required <= labels, f"missing {sorted(required - labels)} from {sorted(labels)}"
    assert "id" not in labels  # already there
    assert "nonsense" not in labels


def test_completion_works_in_an_empty_record(editor: Editor):
    uri = editor.open("records/people/EMP-0090.yaml", "")
    labels = {item["label"] for item in editor.completion(uri, 0, 0)}
    assert set(schema("person")["required"]) <= labels, sorted(labels)


def test_completion_offers_the_allowed_values_of_a_field(editor: Editor):
    text = "id: PRJ-2026-093\nphase: \n"
    uri = editor.open("records/projects/PRJ-2026-093.yaml", text)
    labels = {item["label"] for item in editor.completion(uri, 1, len("phase: "))}
    assert set(schema("project")["properties"]["phase"]["enum"]) <= labels, sorted(labels)


def test_hover_shows_the_bilingual_title_and_description(editor: Editor):
    relative = "records/projects/PRJ-2026-001.yaml"
    text = (editor.root / relative).read_text(encoding="utf-8")
    uri = editor.open(relative)
    shown = editor.hover(uri, line_of(text, "phase:"), 2)
    phase = schema("project")["properties"]["phase"]
    chinese, english = phase["description"].split("\n\n")
    assert phase["title"] in shown  # 阶段 / Phase
    assert chinese in shown and english in shown, shown


def test_choosing_a_field_inserts_the_key_and_colon(editor: Editor):
    uri = editor.open("records/projects/PRJ-2026-094.yaml", "id: PRJ-2026-094\n")
    inserted = {item["label"]: item.get("insertText", item["label"]) for item in editor.completion(uri, 1, 0)}
    assert inserted["phase"] == "phase: "
    assert inserted["customer"].startswith("customer:\n  ")


# yaml-language-server (1.25 and 2.0 alike) counts any keyword it does not know, such as x-clauses,
# beside a $ref as a constraint and rewrites the property into allOf[$ref, rest]: the field then
# completed without its colon and its hover showed the shared definition's description. The
# schemas therefore hold no $ref: shared definitions are written out in every field that uses them.
def test_the_schemas_use_no_references():
    for path in (REPO / "schemas").glob("*.schema.json"):
        if path.name != "config.schema.json":
            assert '"$ref"' not in path.read_text(encoding="utf-8"), path.name


def test_choosing_a_field_defined_by_reference_inserts_the_colon(editor: Editor):
    uri = editor.open("records/projects/PRJ-2026-095.yaml", "id: PRJ-2026-095\n")
    inserted = {item["label"]: item.get("insertText", item["label"]) for item in editor.completion(uri, 1, 0)}
    assert inserted["manager"].startswith("manager: ")


def test_hover_on_a_field_defined_by_reference_shows_its_own_description(editor: Editor):
    text = "id: PRJ-2026-098\nmanager: EMP-0003\n"
    uri = editor.open("records/projects/PRJ-2026-098.yaml", text)
    shown = editor.hover(uri, line_of(text, "manager:"), 2)
    assert schema("project")["properties"]["manager"]["title"] in shown  # this part works today
    assert schema("project")["properties"]["manager"]["description"].split("\n\n")[0] in shown, shown
