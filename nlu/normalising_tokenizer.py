"""Rasa 3.6 tokenizer: the WhitespaceTokenizer, with a canonical form in each token's lemma.

Tokens (text, offsets) are exactly the WhitespaceTokenizer's, so entities and every other
component see what the user typed. Only `token.lemma` changes, to the canonical form of
nlu/normalise.py: folded, SMS forms expanded, insults and keyboard mashes as one class word,
and what the vocabulary catalogue recognises as its type ("maison de 1962 au gaz" ->
"ent_housing de ent_year au ent_energy"). A CountVectorsFeaturizer with `use_lemma: true`
counts these forms; those with `use_lemma: false` keep counting the raw words.

config.yml:
    - name: nlu.normalising_tokenizer.NormalisingTokenizer
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.normalise import canonical_forms


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER],
                          is_trainable=False)
class NormalisingTokenizer(WhitespaceTokenizer):
    """Whitespace tokens whose lemma is their canonical form (message text only)."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute)
        if attribute != TEXT or not tokens or not isinstance(text, str):
            return tokens
        forms = canonical_forms(text, [(t.start, t.end) for t in tokens])
        for token, form in zip(tokens, forms, strict=True):
            # Set after construction: Token() would turn an empty lemma back into the text
            # (the continuation of a multi-word value must count nothing).
            token.lemma = form
        return tokens
