"""nlu/final_clause.py and its featurizer: what a long message of facts asks at its end."""

from __future__ import annotations

import pytest

from nlu.final_clause import final_clause


def test_the_question_after_the_facts_is_the_last_clause():
    text = "maison de 1970 au fioul, on est 3, je veux une pac, quelles aides ?"
    assert final_clause(text) == "quelles aides"
    assert final_clause("Nous sommes 4. Le chauffage est au gaz. Combien d'aides ?") == \
        "combien d'aides"


def test_a_one_clause_message_has_no_last_clause_of_its_own():
    assert final_clause("quelles aides pour isoler mes combles ?") == ""
    assert final_clause("quelles aides pour isoler ?", only_multi=False) == \
        "quelles aides pour isoler"


@pytest.mark.parametrize("text", ["", "   ", "?!,", "🙂" * 300, "a, " * 10_000])
def test_odd_input_gives_a_string_quickly(text):
    assert isinstance(final_clause(text), str)


def test_featurizer_learns_persists_and_reloads_its_vocabulary(tmp_path):
    pytest.importorskip("rasa")
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu.final_clause_featurizer import FinalClauseFeaturizer

    storage = LocalModelStorage(tmp_path)
    resource = Resource("final_clause")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**FinalClauseFeaturizer.get_default_config()}
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    examples = [Message(data={"text": t, "intent": i}) for t, i in [
        ("maison au fioul, on est 3, quelles aides ?", "ask_subsidies"),
        ("maison au gaz, qui peut installer une pac ?", "find_craftsman"),
        ("au fioul", "inform")]]
    data = TrainingData(examples)
    tokenizer.process_training_data(data)
    trained = FinalClauseFeaturizer.create(config, storage, resource, context)
    trained.train(data)
    loaded = FinalClauseFeaturizer.load(config, storage, resource, context)
    message = Message(data={"text": "appart de 50 m2, quelles aides svp"})
    tokenizer.process([message])
    loaded.process([message])
    sequence, sentence = message.get_sparse_features("text")
    assert sentence.features.sum() >= 2  # "quelles", "aides", "quelles aides"
    assert sequence.features.shape[0] == len(message.get("text_tokens"))


def test_the_last_clause_starts_where_its_words_are():
    from nlu.final_clause import final_clause_start

    text = "maison de 1970 au fioul, on est 3, quelles aides ?"
    start = final_clause_start(text)
    assert text[start:].strip(" ?") == "quelles aides"
    assert final_clause_start("quelles aides pour isoler ?") is None
    assert final_clause_start("quelles aides pour isoler ?", only_multi=False) == 0
    for odd in ["", "   ", "?!,", "🙂" * 300, "a, " * 10_000]:
        assert final_clause_start(odd) is None or isinstance(final_clause_start(odd), int)
