"""Topic grouping and similar-proposal search (zora.participation.clustering), without a database.

The labelled set is data/labelled_proposals.yaml (248 proposals, 8 themes, bg and en).
"""

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from zora.participation import clustering
from zora.participation.clustering import (
    STOPWORDS,
    SimilarityIndex,
    baseline_labels,
    cluster,
    embed,
    labelled_proposals,
    language,
)


@pytest.fixture(scope="module")
def labelled():
    texts, themes = labelled_proposals()
    return texts, themes, embed(texts)


def _id_of(texts, title_start):
    (index,) = [i for i, t in enumerate(texts) if t.startswith(title_start)]
    return 1000 + index


def test_labelled_set_is_balanced_and_bilingual(labelled):
    texts, themes, _vectors = labelled
    assert len(texts) >= 240
    counts = Counter(themes)
    assert len(counts) == 8
    assert all(25 <= n <= 35 for n in counts.values())
    share_bg = sum(language(t) == "bg" for t in texts) / len(texts)
    assert 0.70 <= share_bg <= 0.80
    assert len(set(texts)) == len(texts)
    assert all(4 <= len(t.split("\n")[0].split()) <= 12 for t in texts)


def test_embed_rows_are_unit_norm(labelled):
    _texts, _themes, vectors = labelled
    assert vectors.dtype == np.float32
    assert vectors.shape == (248, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed([]).shape == (0, 384)
    again = embed(["Безплатен Wi-Fi в парковете", "Free Wi-Fi in the parks"])
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chosen_method_reaches_half_and_beats_the_baseline(labelled, seed):
    texts, themes, vectors = labelled
    chosen = adjusted_rand_score(themes, cluster(texts, 8, seed=seed, vectors=vectors).labels)
    baseline = adjusted_rand_score(themes, baseline_labels(texts, 8, seed=seed))
    assert chosen >= 0.5
    assert chosen > baseline


def test_cluster_is_deterministic_for_a_seed(labelled):
    texts, _themes, vectors = labelled
    first = cluster(texts, 8, seed=3, vectors=vectors)
    second = cluster(texts, 8, seed=3)  # embeddings from the cache this time
    assert first.labels == second.labels
    assert first.keywords == second.keywords
    assert sorted(set(first.labels)) == list(range(8))


def test_k_none_chooses_the_number_of_topics(labelled):
    texts, _themes, vectors = labelled
    result = cluster(texts, seed=0, vectors=vectors)
    assert len(set(result.labels)) == clustering.auto_k(len(texts)) == 11
    assert clustering.auto_k(10) == 4 and clustering.auto_k(100_000) == 30
    assert clustering.auto_k(3) == 3


def test_keywords_are_words_of_the_texts_in_both_languages(labelled):
    texts, _themes, vectors = labelled
    result = cluster(texts, 8, seed=0, vectors=vectors)
    assert set(result.keywords) == set(result.labels)
    words = {w for t in texts for w in clustering.tokens(t)}
    for label, keywords in result.keywords.items():
        assert 1 <= len(keywords) <= 5
        assert all(isinstance(w, str) and w.strip() for w in keywords)
        assert not set(keywords) & STOPWORDS
        assert set(keywords) <= words
        members = [t for t, lab in zip(texts, result.labels, strict=True) if lab == label]
        if len(members) >= 10 and {language(t) for t in members} == {"bg", "en"}:
            assert {language(w) for w in keywords} == {"bg", "en"}


def test_small_inputs():
    assert cluster([]).labels == []
    one = cluster(["Безплатен Wi-Fi в парковете"])
    assert one.labels == [0]
    assert cluster(["Solar panels on schools", "Bike sharing", "Open budget data"], k=5).labels == [
        0,
        1,
        2,
    ]


PLANTED = [
    # (the original's title starts with, the planted text, what it is)
    ("Всички общински услуги", "Всички общински услуги да може да се заявяват онлйан", "typo"),
    ("Let residents pay", "Let residents pay property tax online with a bank crad", "typo"),
    ("Бюджетът да се публикува", "Бюджета да се публикува в машинно четим формат", "typo"),
    (
        "Плащане на местните",
        "Местните данъци да се плащат с банкова карта на сайта на общината",
        "reworded",
    ),
    ("Умно напояване", "Умно напояване, което пести водата по време на суша", "reworded"),
    (
        "Годишен отчет за изпълнението",
        "Annual report on budget execution with clear charts",
        "bg->en",
    ),
    (
        "Табло с показатели",
        "Dashboard with performance indicators for the administration",
        "bg->en",
    ),
    ("Free computer classes", "Безплатни компютърни курсове за възрастни хора", "en->bg"),
]


@pytest.fixture(scope="module")
def index(labelled):
    texts, _themes, vectors = labelled
    return SimilarityIndex([1000 + i for i in range(len(texts))], texts, vectors=vectors)


@pytest.mark.parametrize(("original", "planted", "kind"), PLANTED)
def test_query_returns_the_planted_original_first(labelled, index, original, planted, kind):
    texts, _themes, _vectors = labelled
    hits = index.query(planted, top=5)
    assert hits[0][0] == _id_of(texts, original), kind
    assert [s for _i, s in hits] == sorted((s for _i, s in hits), reverse=True)
    assert hits[0][1] >= 0.5


def test_query_top_and_min_score(index):
    assert len(index.query("Соларни панели на училищата", top=3)) == 3
    hits = index.query("Соларни панели на училищата", top=50, min_score=0.4)
    assert hits and all(score >= 0.4 for _i, score in hits)
    assert index.query("", top=5) == []
    assert SimilarityIndex([], []).query("Wi-Fi") == []
    assert SimilarityIndex([], []).duplicate_pairs(0.5) == []


def test_duplicate_pairs_finds_the_planted_pair(labelled):
    texts, _themes, vectors = labelled
    planted = "Дронове за пръскане и наблюдаване на посевите"  # one word changed
    ids = [1000 + i for i in range(len(texts))] + [99_999]
    both = np.vstack([vectors, embed([planted])])
    found = SimilarityIndex(ids, [*texts, planted], vectors=both).duplicate_pairs(0.6)
    original = _id_of(texts, "Дронове за пръскане")
    assert found[0][:2] == (original, 99_999)
    assert all(a != b and s >= 0.6 for a, b, s in found)
    # a sensible threshold: a handful of pairs (the bg/en twins of the set) out of 30,000
    assert len(found) < 40


def test_reference_language_means_match_the_model(labelled):
    texts, _themes, _vectors = labelled
    shipped = clustering._reference_means()
    blob = clustering._reference_blob(texts)
    clustering_blob, clustering._REFERENCE_BLOB = clustering._REFERENCE_BLOB, blob
    try:
        fresh = clustering._reference_means()
    finally:
        clustering._REFERENCE_BLOB = clustering_blob
    for lang in ("bg", "en"):
        a, b = shipped[lang], fresh[lang]
        assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) > 0.999


def test_text_helpers():
    assert clustering.normalise("  БЕЗПЛАТЕН   ИНТЕРНЕТ В СЕЛАТА!!!  ") == (
        "Безплатен интернет в селата!"
    )
    assert clustering.headline("Заглавие\nТяло на предложението.") == "Заглавие"
    assert clustering.headline("Оптика до с. Ягода. Селото е без интернет.") == (
        "Оптика до с. Ягода."
    )
    assert language("Wi-Fi в парка") == "bg" and language("Free Wi-Fi") == "en"
    assert "5g" in clustering.tokens("5G покритие за селата")
    assert clustering.mask_names("Open a startup incubator in Stara Zagora") == (
        "Open a startup incubator"
    )
    assert clustering.mask_names("Безплатен Wi-Fi и 5G в парк „Аязмото“ в Казанлък") == (
        "Безплатен Wi-Fi и 5G в парк"
    )
    assert clustering.mask_names("Казанлък има нужда от КЕП") == "Казанлък има нужда от КЕП"


def test_cached_vectors_cluster_10000_proposals_and_answer_lookups(labelled):
    """Scale, not speed: 10,000 stored vectors cluster into the requested topics and the
    similarity index answers; the timings are measured by bench/consultation.py."""
    texts, _themes, vectors = labelled
    rng = np.random.default_rng(0)
    pick = rng.integers(len(texts), size=10_000)
    many_texts = [f"{texts[j]} ({i})" for i, j in enumerate(pick)]
    noisy = vectors[pick] + rng.normal(scale=0.02, size=(10_000, 384)).astype(np.float32)
    result = cluster(many_texts, seed=0, vectors=noisy)
    assert len(set(result.labels)) == 30
    index = SimilarityIndex(list(range(10_000)), many_texts, vectors=noisy)
    hits = index.query("Безплатен интернет в селата", top=5)
    assert len(hits) == 5


def test_module_does_not_import_django():
    code = (
        "import sys, zora.participation.clustering as c; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
