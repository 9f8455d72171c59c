"""nlu/stem_featurizer.py: forms of one verb or noun count as one word for the classifier."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa")
pytest.importorskip("snowballstemmer")


def _trained(tmp_path, texts):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu.normalising_tokenizer import NormalisingTokenizer
    from nlu.stem_featurizer import StemFeaturizer

    storage = LocalModelStorage(tmp_path)
    resource = Resource("stems")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**StemFeaturizer.get_default_config()}
    tokenizer = NormalisingTokenizer(NormalisingTokenizer.get_default_config())
    data = TrainingData([Message(data={"text": t, "intent": "x"}) for t in texts])
    tokenizer.process_training_data(data)
    StemFeaturizer.create(config, storage, resource, context).train(data)
    return tokenizer, StemFeaturizer.load(config, storage, resource, context)


def _sentence(tokenizer, featurizer, text):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    tokenizer.process([message])
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features("text")
    return message, sequence, sentence


def test_stems_join_the_forms_of_a_word():
    from nlu.stem_featurizer import stem, stemmed

    assert stem("rappelez") == stem("rappele") == stem("rappeler")
    assert stem("isolation") == stem("isoler")
    assert stem("ent_work") == "ent_work" and stem("w_insult") == "w_insult"
    assert stemmed(["je sais pas", "", "ent_work"]).split()[-1] == "ent_work"


def test_a_new_form_of_a_trained_verb_gets_features(tmp_path):
    tokenizer, featurizer = _trained(tmp_path, ["rappelez-moi demain", "je veux isoler"])
    message, sequence, sentence = _sentence(tokenizer, featurizer, "qu'on me rappelle")
    assert sentence.features.sum() >= 1  # "rappel"
    assert sequence.features.shape[0] == len(message.get("text_tokens"))
    _, _, unseen = _sentence(tokenizer, featurizer, "bonjour")
    assert unseen.features.sum() == 0


@pytest.mark.parametrize("text", ["🙂" * 300, "<b>pac</b>", "مرحبا", "a " * 10_000])
def test_odd_input_is_featurized_without_error(tmp_path, text):
    tokenizer, featurizer = _trained(tmp_path, ["rappelez-moi demain"])
    _, _, sentence = _sentence(tokenizer, featurizer, text)
    assert sentence.features.shape[1] >= 1
