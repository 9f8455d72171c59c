"""Speed fixes applied inside the Rasa server process (behaviour unchanged).

1. Rasa 3.6 checks every action server response with `jsonschema.validate(result, schema)`,
   which first validates the *schema itself* against the JSON Schema metaschema: about 50 ms
   per call under cProfile, the largest single cost of a form turn (docs/performance.md). The
   schema is a constant, so it is checked once and its validator kept; each response is
   still validated in full and raises the same `ValidationError` with Rasa's message.
2. Rasa finds the class of every event it deserialises (each stored event when a tracker is
   read, each event an action returns) by walking the whole tree of `Event` subclasses with
   `inspect.isabstract` on each: 0.16 ms per event, ~9 ms per form turn under cProfile. The
   first match of that same walk is kept per type name; an unknown name walks again (an
   event class imported later is still found) and ends as Rasa does (default, or error).
3. Rasa predicts with a TensorFlow model (our ResponseSelector) through a `tf.function` with a
   fixed input signature: each call first matches its inputs against that signature and looks
   the traced graph up again, about 0.3 ms of the 1 ms a call costs. The one graph that
   signature can have is kept and called directly (same graph, same inputs, same outputs;
   tests/runtime/test_nlu_speed.py, docs/performance.md section 9).
4. A message whose id is already in its conversation (a request nginx sent again after a Rasa
   process died having saved the turn, channels/replay.py) gets the answers stored after it
   instead of a second turn. Checked on the tracker Rasa reads under the conversation's lock
   for the turn itself, before the session update: no second lock or read (the REST channel
   did both before each message until 30 November; it still does when this patch is off).
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

# Set to 1 to run Rasa as shipped (benchmarks' "before" figures), or to names of patches to
# leave out ("event_classes", "action_result_schema", "predict_graph", "replay_in_turn",
# comma-separated; without "replay_in_turn" the REST channel checks replays before the turn;
# "classifier_rows" and "model_load" are read by nlu/intent_classifier.py and
# runtime/fast_model_load.py).
UNPATCHED_VARIABLE = "ASSISTANT_RASA_UNPATCHED"
logger = logging.getLogger(__name__)


def _disabled(name: str) -> bool:
    value = os.environ.get(UNPATCHED_VARIABLE, "").strip()
    return value == "1" or name in {part.strip() for part in value.split(",")}


@lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    from jsonschema.validators import validator_for  # noqa: PLC0415
    from rasa.core.actions.action import RemoteAction  # noqa: PLC0415

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def apply() -> None:
    """Every patch of this module (runtime/rasa_server.py, benchmarks/profile_turn.py)."""
    cache_action_result_schema()
    cache_event_classes()
    call_predict_graph_directly()
    check_replays_in_turn()
    time_turns()  # only when ASSISTANT_TURN_TIMING is set


def cache_event_classes() -> None:
    """Replace Event.resolve_by_type by the same lookup with its walk remembered."""
    if _disabled("event_classes"):
        return
    from rasa.shared.core.events import Event  # noqa: PLC0415
    from rasa.shared.utils.common import all_subclasses  # noqa: PLC0415

    shipped = Event.resolve_by_type
    if getattr(shipped, "kept_classes", None) is not None:
        return  # already applied
    classes: dict[str, type] = {}

    def walk() -> None:
        found: dict[str, type] = {}
        for cls in all_subclasses(Event):  # Rasa's order: the first match wins
            found.setdefault(cls.type_name, cls)
        classes.clear()
        classes.update(found)

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = classes.get(type_name)
        if cls is None:
            walk()
            cls = classes.get(type_name)
        return cls if cls is not None else shipped(type_name, default)

    resolve_by_type.kept_classes = classes  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


def call_predict_graph_directly() -> None:
    """Replace RasaModel._rasa_predict by the same prediction calling the traced graph itself."""
    if _disabled("predict_graph"):
        return
    import weakref  # noqa: PLC0415

    from keras.utils import tf_utils  # noqa: PLC0415
    from rasa.shared.constants import DIAGNOSTIC_DATA  # noqa: PLC0415
    from rasa.utils.tensorflow.models import RasaModel  # noqa: PLC0415

    shipped = RasaModel._rasa_predict
    if getattr(shipped, "shipped", None) is not None:
        return  # already applied
    graphs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _rasa_predict(self: RasaModel, batch_in: Any) -> dict[str, Any]:
        step = self._tf_predict_step
        if self._run_eagerly or step is None or not self.prepared_for_prediction:
            return shipped(self, batch_in)  # first call (traces) or eager mode: as shipped
        graph = graphs.get(step)
        if graph is None:
            # With an input signature a tf.function has exactly this one concrete function.
            graph = graphs[step] = step.get_concrete_function()
        self._training = False
        outputs = tf_utils.sync_to_numpy_or_python_type(graph(batch_in))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(
                outputs[DIAGNOSTIC_DATA])
        return outputs

    _rasa_predict.shipped = shipped  # type: ignore[attr-defined]
    RasaModel._rasa_predict = _rasa_predict  # type: ignore[method-assign]


def cache_action_result_schema() -> None:
    """Replace RemoteAction._validate_action_result by the same check with a kept validator."""
    if _disabled("action_result_schema"):
        return
    from jsonschema import ValidationError  # noqa: PLC0415
    from jsonschema.exceptions import best_match  # noqa: PLC0415
    from rasa.core.actions.action import RemoteAction  # noqa: PLC0415
    from rasa.shared.constants import DOCS_BASE_URL  # noqa: PLC0415

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error: ValidationError | None = best_match(_action_result_validator().iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                "For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


class _AlreadyHandled(Exception):  # noqa: N818 (control flow, not an error)
    """Raised inside Rasa's turn when the message was handled before: nothing saved yet."""

    def __init__(self, answers: list[dict]) -> None:
        super().__init__("message already handled")
        self.answers = answers


def check_replays_in_turn() -> None:
    """Make MessageProcessor.handle_message answer a message already in its conversation with
    the answers stored after it (channels/replay.py), from the tracker of the turn itself."""
    if _disabled("replay_in_turn"):
        return
    import contextvars  # noqa: PLC0415

    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage  # noqa: PLC0415
    from rasa.core.processor import MessageProcessor  # noqa: PLC0415

    from channels import replay  # noqa: PLC0415

    shipped_handle = MessageProcessor.handle_message
    if getattr(shipped_handle, "shipped", None) is not None:
        return  # already applied
    shipped_fetch = MessageProcessor.fetch_tracker_and_update_session
    # The message whose turn is running in this task (set by handle_message, read once by
    # the fetch of its log_message; other callers of the fetch, such as the HTTP API, see None).
    handled: contextvars.ContextVar[UserMessage | None] = contextvars.ContextVar(
        "replay_message", default=None)

    async def fetch_tracker_and_update_session(
        self: MessageProcessor, sender_id: str, output_channel: Any = None,
        metadata: dict | None = None,
    ) -> Any:
        message = handled.get()
        if message is None or message.sender_id != sender_id or not message.message_id:
            return await shipped_fetch(self, sender_id, output_channel, metadata)
        handled.set(None)
        # Rasa 3.6's fetch_tracker_and_update_session, with the check between its two steps:
        # before the session update, which would add events to a turn that is not taken.
        tracker = await self.get_tracker(sender_id)
        answers = replay.answers_after(list(tracker.events), sender_id, message.message_id)
        if answers is not None:
            raise _AlreadyHandled(answers)
        await self._update_tracker_session(tracker, output_channel, metadata)
        return tracker

    async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
        token = handled.set(message)
        try:
            return await shipped_handle(self, message)
        except _AlreadyHandled as done:
            logger.info("Message %s de %s déjà traité (requête renvoyée) : réponses "
                        "enregistrées renvoyées, aucun nouveau tour.",
                        message.message_id, message.sender_id)
            output = message.output_channel
            if isinstance(output, CollectingOutputChannel):
                # The REST answer the dead process never sent; an empty one (a turn that said
                # nothing) gets the channel's apology, as the first time.
                output.messages.extend(done.answers)
                return output.messages
            return None  # a streaming channel sent its answers during the first turn
        finally:
            handled.reset(token)

    handle_message.shipped = shipped_handle  # type: ignore[attr-defined]
    MessageProcessor.handle_message = handle_message  # type: ignore[method-assign]
    MessageProcessor.fetch_tracker_and_update_session = (  # type: ignore[method-assign]
        fetch_tracker_and_update_session)
    replay.mark_checked_in_turn()


# --- Turn timing (benchmarks only) ----------------------------------------------------------

# A file path: each message handled appends one JSON line with the wall time of its stages
# (tracker read and write, NLU, policies, action server calls, the whole turn), in ms. Set by
# benchmarks/bench_conversations.py --timing; unset in production (nothing is wrapped).
TIMING_VARIABLE = "ASSISTANT_TURN_TIMING"


def time_turns(path: str | None = None) -> None:
    """Wrap the stages of a turn with wall-clock timers writing to `path` (or the variable)."""
    path = path or os.environ.get(TIMING_VARIABLE)
    if not path:
        return
    import contextvars  # noqa: PLC0415
    import inspect  # noqa: PLC0415
    import json  # noqa: PLC0415
    import time  # noqa: PLC0415

    from rasa.core.actions.action import RemoteAction  # noqa: PLC0415
    from rasa.core.processor import MessageProcessor  # noqa: PLC0415

    from runtime.tracker_store import CachedSQLTrackerStore  # noqa: PLC0415

    current: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
        "turn_timing", default=None)

    def timed(owner: type, name: str, stage: str) -> None:
        original = getattr(owner, name)
        if inspect.iscoroutinefunction(original):
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    add(stage, started)
        else:
            def wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    add(stage, started)
        setattr(owner, name, wrapper)

    def add(stage: str, started: float) -> None:
        stages = current.get()
        if stages is not None:
            stages[stage] = stages.get(stage, 0.0) + (time.perf_counter() - started) * 1000

    handle = MessageProcessor.handle_message

    async def handle_message(self: MessageProcessor, message: Any) -> Any:
        stages: dict[str, float] = {}
        token = current.set(stages)
        started = time.perf_counter()
        try:
            return await handle(self, message)
        finally:
            stages["turn"] = (time.perf_counter() - started) * 1000
            current.reset(token)
            with open(path, "a", encoding="utf-8") as file:
                file.write(json.dumps({k: round(v, 2) for k, v in stages.items()}) + "\n")

    MessageProcessor.handle_message = handle_message  # type: ignore[method-assign]
    from rasa.core.tracker_store import SQLTrackerStore  # noqa: PLC0415

    for store in (SQLTrackerStore, CachedSQLTrackerStore):
        timed(store, "_retrieve", "tracker_read")
        timed(store, "save", "tracker_write")
    timed(MessageProcessor, "parse_message", "nlu")
    timed(MessageProcessor, "_predict_next_with_tracker", "policies")
    timed(RemoteAction, "run", "action_server")
