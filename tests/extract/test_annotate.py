"""The annotation stage with the installed spaCy pipeline, on the demo corpus and the seeds.

The demo corpus is ours (facts in tests/golden/DEMO_FACTS.md). The seeds in ../shared are
not: those tests skip when it is absent and look quotes up by short word patterns only.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest

import storyline
import storyline.extract.annotate as annotate_module
from storyline.extract._ner_scope import may_be_name
from storyline.extract.annotate import MENTION_LABELS, annotate, entity_docs, named_spans
from storyline.extract.entities import story_entities
from storyline.extract.quotes import story_quotes
from storyline.model import Annotations, Article, Quote, Story
from storyline.models import spacy_pipeline
from storyline.settings import DEFAULTS
from tests.conftest import make_article

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("spacy") is None, reason="spaCy is not installed"
)

DEMO = Path(storyline.__file__).parent / "demo" / "corpus"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@cache
def _annotated(folder: Path) -> tuple[Story, dict[str, Article], dict[str, Annotations]]:
    result = storyline.run([folder], storyline.load_settings(overrides=["runner.workers=1"]))
    articles = {a.id: a for a in result.articles}
    annotations = {a.article_id: a for a in annotate(list(articles.values()), DEFAULTS)}
    story = Story(id="s", title="t", article_ids=tuple(articles))
    return story, articles, annotations


def _quote(quotes: tuple[Quote, ...], pattern: str) -> Quote:
    found = [q for q in quotes if re.search(pattern, q.text)]
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def test_one_annotations_per_article_with_exact_spans() -> None:
    _story, articles, annotations = _annotated(DEMO)
    assert set(annotations) == set(articles)
    for article_id, ann in annotations.items():
        text = articles[article_id].text
        for mention in ann.mentions:
            (span,) = mention.evidence
            assert text[span.start : span.end] == mention.text
        for quote in ann.quotes:  # one span per piece of a passage split over paragraphs
            pieces = " ".join(text[span.start : span.end] for span in quote.evidence)
            assert re.findall(r"\w+", pieces) == re.findall(r"\w+", quote.text)


def test_empty_input_needs_no_model() -> None:
    assert annotate([], DEFAULTS) == []


_FRENCH = "« Nous sommes très heureux », a déclaré la directrice Marie Dupont au Musée du Port."


def test_articles_in_other_languages_get_empty_annotations() -> None:
    french = make_article(id="fr", text=_FRENCH, language="fr")
    english = make_article(
        id="en", text='"We are very happy," director Ada Finch said at the Harbour Museum.'
    )
    unknown = make_article(id="xx", text=_FRENCH, language=None)
    found = {a.article_id: a for a in annotate([french, english, unknown], DEFAULTS)}
    assert found["fr"] == Annotations(article_id="fr")
    assert found["en"].quotes
    assert found["en"].mentions
    assert found["xx"].mentions  # unknown language: annotated as English
    assert annotate([french], DEFAULTS) == [Annotations(article_id="fr")]


def _demo_texts() -> list[str]:
    _story, articles, _annotations = _annotated(DEMO)
    return [article.text for article in articles.values()]


def test_entity_docs_find_what_nlp_pipe_finds() -> None:
    nlp = spacy_pipeline(DEFAULTS.models.spacy)
    texts = ["", *_demo_texts(), "   "]
    unused = [name for name in nlp.pipe_names if name != "ner"]
    expected = [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in nlp.pipe(texts, disable=unused, batch_size=4)
    ]
    found = [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in entity_docs(nlp, texts, batch_size=4)
    ]
    assert found == expected


def test_scoped_ner_keeps_every_name_of_whole_text_ner() -> None:
    nlp = spacy_pipeline(DEFAULTS.models.spacy)
    texts = _demo_texts()
    whole = list(named_spans(nlp, texts, margin=0, batch_size=8))
    scoped = list(named_spans(nlp, texts, margin=6, batch_size=8))
    for text, every, kept in zip(texts, whole, scoped, strict=True):
        names = [n for n in every if any(map(may_be_name, text[n.start : n.end].split()))]
        assert kept == names


def test_text_without_a_capitalised_word_gets_no_entities() -> None:
    nlp = spacy_pipeline(DEFAULTS.models.spacy)
    (found,) = named_spans(nlp, ["the old customs house was quiet."], margin=6, batch_size=8)
    assert found == []


def test_a_window_seen_before_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy_pipeline(DEFAULTS.models.spacy)
    texts = _demo_texts()[:4]
    first = list(named_spans(nlp, texts, margin=6, batch_size=8))
    read: list[str] = []

    def counting(nlp: object, texts: list[str], *, batch_size: int) -> object:
        read.extend(texts)
        return entity_docs(nlp, texts, batch_size=batch_size)  # type: ignore[arg-type]

    monkeypatch.setattr(annotate_module, "entity_docs", counting)
    new = "Orla Quenby of the Marsh Hollow Trust spoke in Tarrow on Tuesday."
    *again, last = named_spans(nlp, [*texts, new], margin=6, batch_size=8)
    assert again == first  # the same entities, from the windows seen before
    assert read == [new]  # and NER read only the new text
    assert "Orla Quenby" in {new[n.start : n.end] for n in last}


def test_every_mention_holds_a_word_that_can_be_a_name() -> None:
    _story, _articles, annotations = _annotated(DEMO)
    for ann in annotations.values():
        for mention in ann.mentions:
            assert mention.label in MENTION_LABELS
            assert any(map(may_be_name, mention.text.split()))


def test_demo_quotes_merge_across_outlets() -> None:
    story, articles, annotations = _annotated(DEMO)
    quotes = story_quotes(story, articles, annotations, DEFAULTS)
    wren = _quote(quotes, r"survived shipwrecks")
    assert wren.speaker == "Tobias Wren"
    assert len(wren.article_ids) == 5
    assert wren.platform == "Facebook"
    first = min(wren.article_ids, key=lambda i: articles[i].published.date)  # type: ignore[union-attr]
    assert wren.first_seen == first
    assert wren.evidence[0].article_id == first
    mayor = _quote(quotes, r"^Whoever did this didn.t just rob")
    assert mayor.speaker == "Ruth Castellano"
    assert len(mayor.article_ids) >= 4


def test_demo_speakers_from_context() -> None:
    story, articles, annotations = _annotated(DEMO)
    quotes = story_quotes(story, articles, annotations, DEFAULTS)
    assert _quote(quotes, r"expect it here").speaker == "Walt Brannigan"
    assert _quote(quotes, r"sold openly").speaker == "Priya Natarajan"
    assert _quote(quotes, r"cleaner taste").speaker == "Carys Meriwether"
    # a quote over two paragraphs is one passage
    assert _quote(quotes, r"^This was not a smash.*We have recovered 11").speaker == "Harlan Voss"


def test_demo_scare_quotes_and_titles_are_not_quotes() -> None:
    story, articles, annotations = _annotated(DEMO)
    texts = [q.text for q in story_quotes(story, articles, annotations, DEFAULTS)]
    for pattern in (r"ghost door", r"Clockwork Crew", r"Keeping Time at Sea"):
        assert not [t for t in texts if re.search(pattern, t) and len(t.split()) < 6]


def test_demo_entities_are_canonical() -> None:
    story, articles, annotations = _annotated(DEMO)
    entities = story_entities(story, articles, annotations, DEFAULTS)
    names = [e.name for e in entities]
    wren = entities[names.index("Tobias Wren")]
    assert wren.type == "person"
    assert "Wren" in wren.aliases
    assert len(wren.article_ids) >= 8
    assert "Wren" not in names


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seed_quote_carried_by_four_outlets() -> None:
    story, articles, annotations = _annotated(SEEDS)
    quote = story_quotes(story, articles, annotations, DEFAULTS)[0]  # most widely carried
    assert "shocked" in quote.text.split()
    assert len(quote.article_ids) == 4
    assert quote.speaker == "Chrissy Teigen"
    carriers = {s.article_id for s in quote.evidence}
    assert carriers == set(quote.article_ids)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seed_entities_merge_name_forms() -> None:
    story, articles, annotations = _annotated(SEEDS)
    entities = story_entities(story, articles, annotations, DEFAULTS)
    top = {e.name: e for e in entities[:3]}
    assert {"Chrissy Teigen", "John Legend"} <= set(top)
    assert {"Teigen", "Chrissy"} <= set(top["Chrissy Teigen"].aliases)
    assert {"Legend", "John"} <= set(top["John Legend"].aliases)
