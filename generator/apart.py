"""Work done in a process of its own, so that every byte it took goes back to the system when it ends.

A Python process hands little of its freed memory back: the many small objects of 100,000 loaded facts leave their
memory pages pinned by the few that outlive them. Work run here in a forked copy of the calling process ends with
that copy, and only its (small) result comes back.
"""
from __future__ import annotations

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
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # what is waiting would otherwise be written twice
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        os.close(read)
        _work_and_exit(work, os.fdopen(write, "wb"))
    os.close(write)
    finished = False
    try:
        with os.fdopen(read, "rb") as told:
            while True:
                try:
                    said, value = pickle.load(told)
                except EOFError:
                    raise RuntimeError("the process building the pages stopped without finishing") from None
                if said == "say":
                    say(value)
                    continue
                finished = True
                if said == "raised":
                    raise _rebuilt(*value)
                return value
    finally:
        if not finished:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)


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


def _rebuilt(kind, state, account) -> BaseException:
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
    err.__cause__ = _Account(account)  # --debug shows where it was raised, in the process that raised it
    return err


class _Account(Exception):
    def __str__(self) -> str:
        return "in the process building the pages:\n" + self.args[0]
