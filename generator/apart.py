"""Work done in a process of its own, so that every byte it took goes back to the system when it ends.

A Python process hands little of its freed memory back: the many small objects of 100,000 loaded facts leave their
memory pages pinned by the few that outlive them. Work run here in a forked copy of the calling process ends with
that copy, and only its (small) result comes back. Work started here also runs beside the calling process, on
another core, until its result is asked for.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import traceback


def call(work, say):
    """work(say) in a forked copy of this process: its progress messages are passed on to say as they come, its
    result returned, an exception it raises raised here (with its own type and values). Where no process can be
    forked, work runs here."""
    if not hasattr(os, "fork"):
        return work(say)
    with Started(work, "building the pages") as job:
        return job.result(say)


class Started:
    """work(say) begun in a forked copy of this process, while this one goes on: result() waits for it (passing its
    progress messages on) and gives its result or raises what it raised. Leaving the block without the result stops
    the copy. Forking needs os.fork (see call)."""

    def __init__(self, work, doing: str):
        self.doing = doing  # what the copy does, as a message names it
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what is waiting would otherwise be written twice
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the copy: never returns
            os.close(read)
            _end_with(parent)
            _work_and_exit(work, os.fdopen(write, "wb"))
        os.close(write)
        self.told = os.fdopen(read, "rb")
        self.finished = False

    def __enter__(self) -> "Started":
        return self

    def result(self, say):
        while True:
            try:
                said, value = pickle.load(self.told)
            except EOFError:
                raise RuntimeError(f"the process {self.doing} stopped without finishing") from None
            if said == "say":
                say(value)
                continue
            self.finished = True
            if said == "raised":
                raise _rebuilt(*value, self.doing)
            return value

    def __exit__(self, *exc) -> None:
        self.told.close()
        if not self.finished:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)


def _end_with(parent: int) -> None:
    """Have this copy killed when the process that forked it dies (Linux), so that a build killed mid-way leaves
    nothing running that holds its lock or writes its files; a copy whose parent is already gone ends at once."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


PR_SET_PDEATHSIG = 1


def _work_and_exit(work, out) -> None:
    def tell(message) -> None:
        pickle.dump(("say", message), out)
        out.flush()

    try:
        outcome = ("done", work(tell))
    except BaseException as err:  # noqa: BLE001 - raised again by the calling process
        kind = type(err)
        state = (kind, err) if kind.__module__ == "builtins" else (kind, (err.args, err.__dict__))  # see _rebuilt
        outcome = ("raised", (*state, traceback.format_exc()))
    try:
        try:
            text = pickle.dumps(outcome)
        except Exception:  # noqa: BLE001 - a value that cannot travel: its account does
            shown = outcome[1][2] if outcome[0] == "raised" else traceback.format_exc()
            text = pickle.dumps(("raised", (RuntimeError, RuntimeError(shown), shown)))
        out.write(text)
        out.flush()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    finally:
        os._exit(0)  # no clean-up of the calling process's own (its files, its lock, its exit handlers)


def _rebuilt(kind, state, account, doing: str) -> BaseException:
    """The exception the forked process raised, as an instance of its own class with the same values: Python's own
    exceptions travel as they pickle; the project's are remade from their arguments and attributes, as their
    constructors take other values than the message they keep (ValidationFailed takes the problems)."""
    if isinstance(state, BaseException):
        err = state
    else:
        err = kind.__new__(kind)
        err.args, values = state
        err.__dict__.update(values)
    if kind is RuntimeError:
        return err
    err.__cause__ = _Account(f"in the process {doing}:\n{account}")  # --debug shows where it was raised
    return err


class _Account(Exception):
    def __str__(self) -> str:
        return self.args[0]
