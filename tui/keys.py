"""Keys typed faster than the app handles them still land where they would have one by one.

Textual hands each key to the widget focused *when the key arrives* and checks most bindings
(tab to the next field, enter to open a form, / to search) only later, when the key has bubbled
back up to the app. Keys that arrive together — type-ahead from a fast typist, or a terminal
multiplexer writing several keys at once — were therefore all given to the first widget:
"4<tab>3.5" put "43." in one rating box, and "/Hughes" typed its letters into the caseload table
behind the search box, where they are commands.

The gate holds each key the terminal sends until everything the previous key set off (its
bubbling, its binding, the database call it started, the screen it pushed and that screen's
mounting) has been handled, then lets it through. A key typed on its own goes straight through
(one extra trip through the app's queue); a key that arrives while an earlier one is still being
handled waits only as long as that takes, and at most ``SETTLE_LIMIT_SECONDS``.

The ordering problem is Textual's own, open upstream as Textual issue #6605
(https://github.com/Textualize/textual/issues/6605): once it is fixed there, delete this module
and the two lines in ``TandemApp.on_event`` that call it. The gate uses Textual's public API
(``screen_stack``, ``walk_children``, ``message_queue_size``, ``workers``) except for one
private flag, read in ``_is_closing`` and pinned by name in tests/tui/test_keys_textual_api.py.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.worker import Worker

#: The longest a held key waits for the app to settle (something may keep it busy: then the
#: key goes through anyway rather than being lost).
SETTLE_LIMIT_SECONDS = 1.5

#: How often to look whether a worker started by the key (a database call) has finished.
WORKER_POLL_SECONDS = 0.005

#: How many turns of the event loop in a row every queue must be empty to count as settled.
QUIET_TURNS = 3


#: What the user typed: keys and pastes. The gate holds both (a paste typed after held keys must
#: not overtake them), as do an editor and its questions (tui/widgets/recording_editor.py).
Typed = events.Key | events.Paste


class KeyGate:
    """Owned by the app: ``admit(event)`` says whether a key (or a paste) from the terminal may be
    handled now; one that may not is held and posted again, in order, when the app has settled."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: deque[Typed] = deque()
        self.released: set[int] = set()
        self.task: asyncio.Task[None] | None = None
        #: Set if waiting for the app to settle ever fails (say a Textual upgrade renamed what
        #: it reads): from then on keys pass straight through, as Textual alone would handle
        #: them, rather than wait behind a dead task.
        self.failed: BaseException | None = None

    def admit(self, event: Typed) -> bool:
        if id(event) in self.released:
            self.released.discard(id(event))
            return True
        if self.failed is not None:
            return True
        self.held.append(event)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._release_in_order())
        return False

    async def _release_in_order(self) -> None:
        try:
            while self.held:
                key = self.held.popleft()
                self.released.add(id(key))
                running_before = set(self.app.workers)
                if not self.app.post_message(key):  # the app is closing
                    self.held.clear()
                    self.released.clear()
                    return
                try:
                    await self._settled(running_before)
                except Exception as error:  # never hold keys behind a dead task
                    self.failed = error
                    self.app.log.error(f"key gate disabled: {error!r}")
                    while self.held:
                        key = self.held.popleft()
                        self.released.add(id(key))
                        self.app.post_message(key)
                    return
        finally:
            self.task = None

    def _pumps(self, every_screen: bool = True) -> Iterator[MessagePump]:
        """The app and every node of every screen on the stack, or of the screen on top only (a
        widget being removed is detached from its screen: what it still holds will never be
        handled)."""
        yield self.app
        for screen in self.app.screen_stack if every_screen else self.app.screen_stack[-1:]:
            yield from screen.walk_children(with_self=True)

    async def _settled(self, running_before: set[Worker[object]]) -> None:
        """Wait until no message queue in the app holds work, on several turns of the event loop
        in a row (a message being handled usually posts the next: mounting, bubbling, actions),
        and no worker the key started (a database call before a form opens) is still running.

        The turns before the last look at the app and the screen on top, where a key's work
        happens; the last looks at every screen on the stack too. Walking the screens below (an
        editor's family workspace with its seven tabs, the caseload) on every turn was most of
        the gate's cost: profiled over the mapping test's ~500 keys, 2.8 s of 49 s before, 1.0 s
        after."""
        deadline = monotonic() + SETTLE_LIMIT_SECONDS
        quiet = 0
        while quiet < QUIET_TURNS and monotonic() < deadline:
            await asyncio.sleep(0)
            if any(_has_work(p) for p in self._pumps(every_screen=quiet == QUIET_TURNS - 1)):
                quiet = 0
            elif any(not w.is_finished for w in self.app.workers if w not in running_before):
                quiet = 0
                await asyncio.sleep(WORKER_POLL_SECONDS)
            else:
                quiet += 1


def _has_work(pump: MessagePump) -> bool:
    """Messages waiting (a closing pump never takes its last one: not counted)."""
    return pump.message_queue_size > 0 and not _is_closing(pump)


def _is_closing(pump: MessagePump) -> bool:
    """Textual has no public "closing" flag: the one private read of the gate."""
    return bool(pump._closing or pump._closed)
