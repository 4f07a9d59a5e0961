"""The 1:N biometric search (``TemplateIndex``): an exhaustive Hamming scan of sign-bit codes, then
exact cosine similarity on the best candidates. What an examiner relies on: the person enrolled is
the first hit for a new capture of them, the score is the true cosine similarity, a removed
template never comes back, and the index saved to a file answers exactly as before.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from pactum.identity.biometrics import (
    MIN_CENTRE_SAMPLE,
    SyntheticBiometrics,
    TemplateIndex,
    hamming_distances,
    nearest_by_hamming,
    sign_codes,
)
from pactum.services.identity.biometric_index import read_index_file, write_index_file


@pytest.fixture(scope="module")
def enrolled() -> tuple[SyntheticBiometrics, np.ndarray, np.ndarray]:
    bio = SyntheticBiometrics(seed=21)
    persons = bio.persons(4000)
    return bio, persons, bio.captures(persons, 1)


def _index(vectors: np.ndarray, **kw) -> TemplateIndex:
    idx = TemplateIndex(**kw)
    idx.append(np.arange(1, len(vectors) + 1), vectors)
    return idx


def test_every_person_is_the_first_hit_for_a_new_capture_of_them(enrolled):
    bio, persons, templates = enrolled
    idx = _index(templates)
    queries = bio.captures(persons, 2)
    first = np.array([idx.nearest(q, 1)[0][0] for q in queries])
    assert np.mean(first == np.arange(1, 4001)) == 1.0  # recall@1 over 4,000 persons
    # the same first hit as comparing with every template, and every score is the cosine
    # similarity of that template (f16 storage: within 1e-3)
    for q in queries[:50]:
        keys, scores = idx.nearest(q, 5)
        exact_keys, exact_scores = idx.exact_nearest(q, 5)
        assert keys[0] == exact_keys[0] and scores[0] == exact_scores[0]
        assert list(scores) == sorted(scores, reverse=True)
        true = templates[keys - 1] @ (q / np.linalg.norm(q))
        assert np.allclose(scores, true, atol=1e-3)


def test_a_capture_is_far_closer_in_bits_than_any_other_person(enrolled):
    bio, persons, templates = enrolled
    centre = templates.mean(axis=0)
    codes = sign_codes(templates, centre)
    q = bio.captures(persons[7:8], 2)
    dist = hamming_distances(codes, len(templates), sign_codes(q, centre)[:, 0])
    others = np.delete(dist, 7)
    assert dist[7] < 35 < others.min()  # about 19 bits for the same person, 40+ for others
    assert set(nearest_by_hamming(dist, 1, 128)) == {7}


def test_a_removed_template_is_never_returned(enrolled):
    bio, persons, templates = enrolled
    idx = _index(templates[:500])
    q = bio.captures(persons[42:43], 2)[0]
    assert idx.nearest(q, 1)[0][0] == 43
    idx.mark_removed([43])
    keys, _ = idx.nearest(q, 500)
    assert 43 not in keys and len(keys) == 499 and len(idx) == 499
    assert 43 not in idx.exact_nearest(q, 500)[0]
    assert 43 not in idx.arrays()["keys"]


def test_the_saved_index_answers_as_before_and_takes_new_enrolments(enrolled, tmp_path):
    bio, persons, templates = enrolled
    idx = _index(templates[:3000])
    idx.mark_removed([5])
    path = tmp_path / "store.db.biometric.npz"
    assert write_index_file(path, idx) == {"max_key": 3000, "count": 2999}
    loaded = read_index_file(path)
    assert len(loaded) == 2999 and loaded.max_key() == 3000
    assert np.array_equal(loaded.centre, idx.centre) and loaded.centre_count == 3000
    queries = bio.captures(persons[:3000], 2)
    for q in queries[::100]:
        a, b = idx.nearest(q, 10), loaded.nearest(q, 10)
        assert list(a[0]) == list(b[0]) and np.array_equal(a[1], b[1])
    assert 5 not in loaded.nearest(queries[4], 3000)[0]
    # enrolments after loading, past the room the file was loaded with, one at a time
    for i in range(3000, 4000):
        loaded.append([i + 1], templates[i])
    assert len(loaded) == 3999
    late = bio.captures(persons[3000:], 2)
    assert all(loaded.nearest(q, 1)[0][0] == 3001 + i for i, q in enumerate(late))


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    bad = tmp_path / "x.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a saved biometric index"):
        read_index_file(bad)


def test_templates_far_from_the_origin_are_found_once_the_centre_is_recomputed():
    # an extractor whose values are all positive: without a centre every template has every bit set
    rng = np.random.default_rng(5)
    persons = np.abs(rng.standard_normal((2000, 128))).astype(np.float32)
    persons /= np.linalg.norm(persons, axis=1, keepdims=True)
    noisy = persons + rng.standard_normal(persons.shape).astype(np.float32) * 0.01
    idx = TemplateIndex(rerank=16)
    for i, v in enumerate(persons):  # enrolled one by one: no batch large enough to set a centre
        idx.append([i + 1], v)
    assert idx.centre_count == 0 and len(idx) >= MIN_CENTRE_SAMPLE
    before = np.mean([idx.nearest(q, 1)[0][0] == i + 1 for i, q in enumerate(noisy[:300])])
    idx.recentre()
    after = np.mean([idx.nearest(q, 1)[0][0] == i + 1 for i, q in enumerate(noisy[:300])])
    assert before < 0.2 and after == 1.0 and idx.centre_count == 2000


def test_enrolments_are_searchable_while_other_threads_search(enrolled):
    bio, persons, templates = enrolled
    idx = _index(templates[:2000])
    queries = bio.captures(persons, 2)
    errors: list[str] = []

    def search() -> None:
        for q in queries[:2000:10]:
            keys, _ = idx.nearest(q, 3)
            if len(keys) != 3:
                errors.append("short answer")

    searchers = [threading.Thread(target=search) for _ in range(2)]
    for t in searchers:
        t.start()
    for i in range(2000, 4000):
        idx.append([i + 1], templates[i])
    for t in searchers:
        t.join()
    assert not errors and len(idx) == 4000
    assert all(idx.nearest(queries[i], 1)[0][0] == i + 1 for i in range(2000, 4000, 50))


def test_a_template_of_the_wrong_length_is_refused():
    idx = TemplateIndex()
    with pytest.raises(ValueError, match="2 keys for 1 templates"):
        idx.append([1, 2], np.ones(128, dtype=np.float32))
