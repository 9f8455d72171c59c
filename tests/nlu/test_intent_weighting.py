"""The tf-idf weighing of nlu/intent_classifier.py gives scikit-learn's TfidfTransformer values
(the baseline's weighting), on rows of every shape: one message, several, an empty row."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfTransformer

from nlu.intent_classifier import tfidf_weigh


@pytest.fixture(scope="module")
def counts() -> csr_matrix:
    rows = np.random.default_rng(7).poisson(0.05, size=(60, 400)).astype(float)
    rows[3] = 0.0  # a message none of whose words is known
    rows[10, 5] = 0.5  # a catalogue cue weighed below 1
    return csr_matrix(rows)


def test_weights_are_scikit_learns(counts):
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    for rows in (counts, counts[10:11], counts[2:5], counts[3:4]):
        ours = tfidf_weigh(rows, transformer.idf_)
        assert ours.shape == rows.shape
        assert abs(ours - transformer.transform(rows)).max() <= 1e-12


def test_each_message_has_unit_length_or_none(counts):
    idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_
    lengths = np.sqrt(tfidf_weigh(counts, idf).multiply(tfidf_weigh(counts, idf)).sum(axis=1)).A1
    assert lengths[3] == 0.0
    assert np.allclose(np.delete(lengths, 3)[counts.getnnz(axis=1)[np.arange(60) != 3] > 0], 1.0)
    # The counts given are not changed in place.
    before = counts.copy()
    tfidf_weigh(counts, idf)
    assert (counts != before).nnz == 0
