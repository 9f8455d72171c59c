"""Loading Rasa's TensorFlow components (our ResponseSelector) without tracing a training graph.

Rasa 3.6 rebuilds a TensorFlow model at load time by training it on one example, so that its
weights exist with the right shapes, and then overwrites every weight from the saved file
(`RasaModel.load`). That one training step runs as a TensorFlow graph: tracing the whole
training step (loss, gradients, optimizer) costs 4 to 7 s of a start for a step whose result
is thrown away. Here the step runs eagerly (same variables, same shapes), then the model gets
its configured mode back before the weights are read and the prediction graph is traced as
Rasa does. Predictions are unchanged (tests/runtime/test_fast_model_load.py); the
ResponseSelector's load went from 10.1 to 3.6 s (medians of 3 interleaved starts,
docs/performance.md section 6). ASSISTANT_RASA_UNPATCHED=1 (or "model_load") leaves Rasa
as shipped.
"""

from __future__ import annotations

from typing import Any

from runtime.rasa_patches import _disabled

_SHIPPED: dict[str, Any] = {}


def apply() -> None:
    """Replace RasaModel.load by the same load with the one-example build run eagerly."""
    if _disabled("model_load"):
        return
    import tensorflow as tf  # noqa: PLC0415
    from rasa.utils.tensorflow import models  # noqa: PLC0415
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY  # noqa: PLC0415

    if "load" in _SHIPPED:
        return  # already applied
    _SHIPPED["load"] = models.RasaModel.__dict__["load"]

    def load(cls: type, model_file_name: str, model_data_example: Any,
             predict_data_example: Any = None, finetune_mode: bool = False, *args: Any,
             **kwargs: Any) -> Any:
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=True)
        # One example, to build the weights: their values are replaced just below.
        model.fit(models.RasaBatchDataGenerator(model_data_example, batch_size=1),
                  verbose=False)
        model.run_eagerly = config.get(RUN_EAGERLY)
        model.load_weights(model_file_name)
        if not finetune_mode and predict_data_example:
            model.run_inference(predict_data_example)  # traces the prediction graph
        return model

    models.RasaModel.load = classmethod(load)  # type: ignore[method-assign, assignment]


def undo() -> None:
    """Rasa's own RasaModel.load again (tests)."""
    if "load" in _SHIPPED:
        from rasa.utils.tensorflow import models  # noqa: PLC0415

        models.RasaModel.load = _SHIPPED.pop("load")  # type: ignore[method-assign]
