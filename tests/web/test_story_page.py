"""The story page model: pure, storable, one numbering, types only when the text agrees."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import replace

import pytest
from _hostile import build_store

from storyline.model import Article, Entity, PartialDate, Span, Story, TimelineEntry
from storyline.store import MemoryStore
from storyline.web.story_page import date_label, story_card, story_page, trusted_type


def _filled(make_article: Callable[..., Article]) -> tuple[Story, dict[str, Article]]:
    store = MemoryStore()
    _, story, _ = build_store(store, make_article)
    articles = {i: a for i in story.article_ids if (a := store.article(i)) is not None}
    return story, articles


@pytest.mark.issue(16)
def test_the_model_is_pure_hashable_and_storable(make_article: Callable[..., Article]) -> None:
    story, articles = _filled(make_article)
    model = story_page(story, articles)
    assert model == story_page(story, articles)
    assert hash(model) == hash(story_page(story, articles))
    assert pickle.loads(pickle.dumps(model)) == model


@pytest.mark.issue(16)
def test_citations_use_the_source_numbers(make_article: Callable[..., Article]) -> None:
    story, articles = _filled(make_article)
    model = story_page(story, articles)
    numbers = {s.article_id: s.number for s in model.sources}
    for line in model.summary:
        for cite in line.cites:
            assert numbers[cite.article_id] == cite.number


@pytest.mark.issue(16)
def test_the_card_has_the_gist_outlets_and_dates(make_article: Callable[..., Article]) -> None:
    story, articles = _filled(make_article)
    card = story_card(story, articles)
    assert card.gist == "The museum reopened after the theft."
    assert card.outlets == ("Northwire", "Evil <b>Outlet</b>")
    assert (card.first, card.last) == ("12 Mar 2025", "13 Mar 2025")


@pytest.mark.issue(16)
def test_background_entries_are_kept_apart(make_article: Callable[..., Article]) -> None:
    story, articles = _filled(make_article)
    span = story.timeline[0].evidence[0]
    old = TimelineEntry(
        date=PartialDate.from_iso("1961"),
        text="The clock was given in 1961.",
        article_ids=(span.article_id,),
        evidence=(span,),
        background=True,
    )
    model = story_page(replace(story, timeline=(old, *story.timeline)), articles)
    assert [r.label for r in model.earlier] == ["1961"]
    assert [r.date for r in model.timeline] == ["2025-03-01"]


@pytest.mark.issue(16)
@pytest.mark.parametrize(
    ("text", "name", "ner", "shown"),
    [
        ("Mayor Ruth Ames said the road would reopen.", "Ruth Ames", "person", "person"),
        ("Police in Port Ellery said the road was shut.", "Port Ellery", "person", None),
        ("Police in Port Ellery said the road was shut.", "Port Ellery", "place", "place"),
        ("Crews walked along Tanner Lane at dawn.", "Tanner Lane", "person", None),
        ("The Ellery Maritime Museum reopened.", "Ellery Maritime Museum", "organization",
         "organization"),
    ],
)  # fmt: skip
def test_entity_types_are_shown_only_when_the_text_agrees(
    make_article: Callable[..., Article], text: str, name: str, ner: str, shown: str | None
) -> None:
    article = make_article(id="a", text=text)
    start = text.index(name)
    entity = Entity(
        name=name,
        type=ner,
        aliases=(),
        article_ids=("a",),
        mentions=1,
        evidence=(Span(article_id="a", start=start, end=start + len(name)),),
    )
    assert trusted_type(entity, {"a": article}) == shown


def test_date_labels() -> None:
    assert date_label(PartialDate.from_iso("2025-03-03")) == "3 Mar 2025"
    assert date_label(PartialDate.from_iso("2025-03")) == "Mar 2025"
    assert date_label(PartialDate.from_iso("2025")) == "2025"
