"""Parsing on several cores: worker processes fed chunks of paths over pipes.

Why not `multiprocessing`: with "spawn" every child re-imports the parent's
`__main__` (a crash for a script without a main guard, and 0.2 s or more of
importing pytest or textual otherwise), and "fork" is unsafe in the threaded
app. These children run `python -c` and import only the parser. Messages are
length-prefixed marshal dumps. This process parses too whenever no reply is
waiting, which hides the workers' start-up (~0.1 s). A worker that fails is
dropped and its chunks are parsed here, so a load never fails because of the pool.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import IO, Any

from .parsing import parse_records

_HEADER = struct.Struct("<Q")
#: Chunks sent ahead to each worker, so it never waits for the next one.
DEPTH = 2
#: The folder holding the `reader` package: the child imports it from there.
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_CHILD = "from reader.model.pool import serve; serve()"

Chunk = Sequence[str]
Result = list[Any]


def _send(stream: IO[bytes], obj: Any) -> None:
    data = marshal.dumps(obj)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next message, or raise EOFError when the other side is gone."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return marshal.loads(data)


def serve() -> None:
    """The worker's main loop: parse each chunk of paths received, send back records."""
    # Keep the protocol on a private descriptor; stray prints go to stderr (null).
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    while True:
        try:
            paths = _receive(source)
        except EOFError:
            return
        _send(out, parse_records(paths))


class _Worker:
    def __init__(self, number: int, replies: queue.Queue[tuple[int, Result | None]]) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        # cwd: so a stray yaml.py in the user's folder cannot shadow the real one.
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=_PACKAGE_ROOT,
            env=env,
        )
        self.number = number
        self.in_flight: deque[int] = deque()
        self.alive = True
        self._thread = threading.Thread(target=self._read, args=(replies,), daemon=True)
        self._thread.start()

    def _read(self, replies: queue.Queue[tuple[int, Result | None]]) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                replies.put((self.number, _receive(stream)))
        except Exception:  # EOF, a dead worker, garbage: all mean "stop using it"
            replies.put((self.number, None))

    def send(self, index: int, chunk: Chunk) -> bool:
        try:
            assert self.proc.stdin is not None
            _send(self.proc.stdin, list(chunk))
        except (OSError, ValueError):
            return False
        self.in_flight.append(index)
        return True

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        # A worker only parses: ending it mid-chunk (or mid-start-up) loses nothing,
        # and waiting for a slow start-up would cost a small load dearly.
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class WorkerPool:
    """`size` parser processes; use as a context manager so they are always ended."""

    def __init__(self, size: int, work: Callable[[Chunk], Result]) -> None:
        #: How this process parses a chunk: while no reply is waiting, and for
        #: any chunk a worker could not do.
        self.work = work
        self._replies: queue.Queue[tuple[int, Result | None]] = queue.Queue()
        self._workers: list[_Worker] = []
        try:
            for number in range(size):
                self._workers.append(_Worker(number, self._replies))
        except OSError:
            pass  # no processes (limits, no executable): parse here instead

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        for worker in self._workers:
            worker.close()

    def map(self, chunks: Sequence[Chunk]) -> Iterator[Result]:
        """The results of `chunks`, in order, as soon as each is ready."""
        done: dict[int, Result] = {}
        pending = deque(range(len(chunks)))
        emitted = 0

        def unfinished(index: int) -> bool:
            return index >= emitted and index not in done

        while emitted < len(chunks):
            if emitted in done:
                yield done.pop(emitted)
                emitted += 1
                continue
            for worker in self._workers:
                self._feed(worker, chunks, pending, unfinished)
            try:
                number, result = self._replies.get_nowait()
            except queue.Empty:
                # Nothing has arrived (workers busy, starting, or gone): parse here,
                # a queued chunk first, else the next one in order even if a worker
                # has it too (its reply is then ignored), so this process never idles.
                index = pending.popleft() if pending else emitted
                done[index] = self.work(chunks[index])
                continue
            worker = self._workers[number]
            if not worker.alive or not worker.in_flight:
                continue  # a late word from a worker already given up
            index = worker.in_flight[0]
            if result is None or len(result) != len(chunks[index]):
                self._drop(worker, unfinished, pending)
                continue
            worker.in_flight.popleft()
            if index >= emitted:
                done.setdefault(index, result)
        # Replies still on their way are not needed.
        for worker in self._workers:
            worker.in_flight.clear()

    def _feed(
        self,
        worker: _Worker,
        chunks: Sequence[Chunk],
        pending: deque[int],
        unfinished: Callable[[int], bool],
    ) -> None:
        while worker.alive and pending and len(worker.in_flight) < DEPTH:
            index = pending.popleft()
            if not worker.send(index, chunks[index]):
                pending.appendleft(index)
                self._drop(worker, unfinished, pending)

    @staticmethod
    def _drop(worker: _Worker, unfinished: Callable[[int], bool], pending: deque[int]) -> None:
        """Stop using `worker`; its chunks not yet done go back to the front of the queue."""
        worker.alive = False
        back = [i for i in worker.in_flight if unfinished(i)]
        worker.in_flight.clear()
        pending.extendleft(reversed(back))
