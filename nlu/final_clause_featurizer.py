"""Rasa 3.6 NLU component: word counts of a message's last clause (issue 10).

A long message of facts that ends with a question ("maison de 1970 au fioul, on est 3, on veut
une pac, quelles aides ?") is mostly the words of `inform`; the word counts of the whole message
outvote the question. This featurizer adds the word and word-pair counts of the last clause
alone (nlu/final_clause.py), in a vocabulary of its own, so the classifier can learn that what
the message asks is in its last clause. One-clause messages get no such features (their words
are already counted once). Measured on the development set and by cross-validation
(docs/nlu.md).

With `use_lemma: true` the clause is read as the tokens' lemmas: after the normalising
tokenizer (nlu/normalising_tokenizer.py), its canonical forms ("quelles aides s il vous
plait", "ent_work", …), found on the whole message.

config.yml (after the tokenizer, before the intent classifier):
    - name: nlu.final_clause_featurizer.FinalClauseFeaturizer
      max_features: 3000
      use_lemma: false
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.final_clause import final_clause, final_clause_start
from nlu.sentence_counts import SentenceCountFeaturizer


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                          is_trainable=True)
class FinalClauseFeaturizer(SentenceCountFeaturizer):
    """Word 1–2-gram counts of the last clause, in a vocabulary learnt from the training data."""

    VOCABULARY_FILE = "final_clause_vocabulary.json"
    DEFAULT_MAX_FEATURES = 3000

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {**super().get_default_config(), "use_lemma": False}

    def sentence_text(self, message: Message) -> str:
        text = message.get(TEXT)
        if not self._config.get("use_lemma"):
            return final_clause(text)
        start = final_clause_start(text)
        if start is None:
            return ""
        return " ".join(t.lemma for t in message.get(TOKENS_NAMES[TEXT], [])
                        if t.start >= start and t.lemma)
