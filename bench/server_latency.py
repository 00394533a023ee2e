"""Latency of `hplint server`: time from a didChange to the publishDiagnostics that answers it.

Usage: python bench/server_latency.py [--runs 20] [--script FILE]

Starts the server as a subprocess (pygls's client over stdio, as an editor would), opens a
1,000-line training script (generated, or --script FILE) and a 200-cell notebook, then:
- single edits: one change, wait for the diagnostics of that change; median and max of --runs;
- a burst: 50 changes 5 ms apart (typing), then the time from the last change to the diagnostics
  for it, and how many publishes the burst produced (superseded versions are never published);
- quick fixes: a code action request over the whole script after the burst (the first computes the
  fixes, which publishing does not), and the same request again.
Warm: the first lint of each document is not counted.

Besides wall times, the server's CPU time per edit (all its threads, from /proc/<pid>/task/*/schedstat,
Linux only): on a machine shared with other work, wall times include waiting for a CPU, CPU time
does not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent

BLOCK = '''\
# --- experiment {i} ---
import numpy as np
import torch
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier

X{i} = np.load("features_{i}.npy")
y{i} = np.load("labels_{i}.npy")
scaler{i} = StandardScaler()
X{i}_scaled = scaler{i}.fit_transform(X{i})
X{i}_train, X{i}_test, y{i}_train, y{i}_test = train_test_split(X{i}_scaled, y{i}, test_size=0.2)
model{i} = RandomForestClassifier(n_estimators=100, max_depth=8)
search{i} = GridSearchCV(model{i}, {{"max_depth": [4, 8, 16]}}, cv=5)
search{i}.fit(X{i}_train, y{i}_train)
print("score", search{i}.score(X{i}_test, y{i}_test))


def train_{i}(net, loader, epochs=10, lr=0.01):
    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    for epoch in range(epochs):
        for batch, target in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(batch), target)
            loss.backward()
            optimizer.step()
    return net
'''


def script(lines: int = 1000) -> str:
    text, i = "", 0
    while text.count("\n") < lines:
        text += BLOCK.format(i=i)
        i += 1
    return "\n".join(text.split("\n")[:lines]) + "\n"


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("hplint-bench", "1")
        self.events: list[tuple[float, str, int]] = []  # (time, uri, count)
        self.waiter: asyncio.Event = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(ls, params: types.PublishDiagnosticsParams) -> None:
            ls.events.append((time.perf_counter(), params.uri, len(params.diagnostics)))
            ls.waiter.set()


async def wait_for(client: Client, uri: str, after: int) -> float:
    while True:
        for moment, event_uri, _ in client.events[after:]:
            if event_uri == uri:
                return moment
        client.waiter.clear()
        await asyncio.wait_for(client.waiter.wait(), 30)


def change(client: Client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=7, character=0), end=types.Position(line=7, character=0)),
                    text=text,
                )
            ],
        )
    )


def cell_change(client: Client, nb: str, cell: str, version: int, text: str) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb, version=version),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell, version=version),
                            changes=[
                                types.TextDocumentContentChangePartial(
                                    range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                                    text=text,
                                )
                            ],
                        )
                    ]
                )
            ),
        )
    )


def server_cpu(client: Client) -> float | None:
    """Seconds of CPU the server process has used so far (all threads), or None off Linux."""
    server = getattr(client, "_server", None)
    if server is None:
        return None
    total = 0
    try:
        for task in Path(f"/proc/{server.pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


CPU: list[float] = []  # server CPU seconds of each measured edit


async def measure(send, client: Client, uri: str) -> float:
    mark = len(client.events)
    before = server_cpu(client)
    start = time.perf_counter()
    send()
    answered = (await wait_for(client, uri, mark)) - start
    after = server_cpu(client)
    if before is not None and after is not None:
        CPU.append(after - before)
    return answered


def cpu_summary() -> str:
    if not CPU:
        return ""
    text = f"; server CPU per edit: median {statistics.median(CPU) * 1000:.0f} ms, min {min(CPU) * 1000:.0f}"
    CPU.clear()
    return text


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--script", type=Path)
    args = parser.parse_args()
    text = args.script.read_text(encoding="utf-8") if args.script else script()
    client = Client()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    await client.start_io(sys.executable, "-m", "hplint", "server", env=env)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                notebook_document=types.NotebookDocumentClientCapabilities(
                    synchronization=types.NotebookDocumentSyncClientCapabilities()
                )
            ),
            root_uri=Path("/tmp").as_uri(),
        )
    )
    client.initialized(types.InitializedParams())

    uri = "untitled:train.py"
    mark = len(client.events)
    start = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    first = (await wait_for(client, uri, mark)) - start
    version = 1
    singles = []
    for run in range(args.runs):
        version += 1
        singles.append(await measure(lambda v=version, r=run: change(client, uri, v, f"a{r} = {r}\n"), client, uri))
    print(f"script: {text.count(chr(10))} lines; first lint (cold, imports included) {first * 1000:.0f} ms")
    print(f"script: single edit -> diagnostics: median {statistics.median(singles) * 1000:.0f} ms, "
          f"min {min(singles) * 1000:.0f}, max {max(singles) * 1000:.0f} ({args.runs} runs){cpu_summary()}")

    mark = len(client.events)
    burst_cpu = server_cpu(client)
    for i in range(50):
        version += 1
        change(client, uri, version, "x")
        await asyncio.sleep(0.005)
    last = time.perf_counter()
    answered = await wait_for(client, uri, mark)
    await asyncio.sleep(0.3)
    publishes = sum(1 for _, u, _ in client.events[mark:] if u == uri)
    after = server_cpu(client)
    spent = f"; server CPU for the burst {(after - burst_cpu) * 1000:.0f} ms" if burst_cpu is not None and after is not None else ""
    print(f"script: burst of 50 edits 5 ms apart: diagnostics {max(0.0, answered - last) * 1000:.0f} ms after the last edit, "
          f"{publishes} publish(es) for the burst{spent}")

    # The lightbulb after a pause: the first code action on a result computes its fixes (they are
    # not computed for publishing), the next ones reuse them.
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        found = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=text.count("\n"), character=0)),
                context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
            )
        )
        timings.append(time.perf_counter() - start)
    print(f"script: quick fixes for the whole file after an edit: first {timings[0] * 1000:.0f} ms "
          f"({len(found or [])} actions), again {timings[1] * 1000:.0f} ms")

    nb = "untitled:analysis.ipynb"
    cells = [f"vscode-notebook-cell:analysis.ipynb#c{i}" for i in range(200)]
    blocks = BLOCK.split("\n\n\n")
    texts = [blocks[i % len(blocks)].replace("{i}", str(i)).replace("{{", "{").replace("}}", "}") for i in range(200)]
    mark = len(client.events)
    start = time.perf_counter()
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=nb, notebook_type="jupyter-notebook", version=1,
                cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=c) for c in cells],
            ),
            cell_text_documents=[types.TextDocumentItem(uri=c, language_id="python", version=1, text=t) for c, t in zip(cells, texts)],
        )
    )
    nb_first = (await wait_for(client, cells[-1], mark)) - start
    CPU.clear()
    lines = sum(t.count("\n") + 1 for t in texts)
    nb_singles = []
    for run in range(args.runs):
        version += 1
        nb_singles.append(await measure(lambda v=version, r=run: cell_change(client, nb, cells[100], v, f"b{r} = 1\n"), client, cells[100]))
    print(f"notebook: 200 cells, {lines} lines; first lint {nb_first * 1000:.0f} ms")
    print(f"notebook: single cell edit -> diagnostics: median {statistics.median(nb_singles) * 1000:.0f} ms, "
          f"min {min(nb_singles) * 1000:.0f}, max {max(nb_singles) * 1000:.0f}{cpu_summary()}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


if __name__ == "__main__":
    asyncio.run(main())
