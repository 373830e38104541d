"""The cluster stage: stories, events, groups, incremental use and bad input."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.cluster import Clusterer, cluster, stories_from_groups
from storyline.dedupe import dedupe
from storyline.model import Annotations, Article, Mention, Span, Story
from storyline.settings import ClusterSettings, DedupeSettings, load_settings

MakeArticle = Callable[..., Article]
SETTINGS = ClusterSettings()
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

THEFT = (
    "Thieves broke into the Oakdale Harbour Museum overnight and took three silver "
    "compasses from the maritime gallery, police said. Director Tom Reyes said the "
    "compasses, made in Lisbon in 1790, were the museum's most valuable objects."
)
ARRESTS = (
    "Police in Oakdale arrested two men over the theft of three silver compasses from the "
    "Harbour Museum. Director Tom Reyes said the museum was relieved; the compasses have not "
    "been recovered and detectives are searching pawn shops along the harbour."
)
REOPENING = (
    "The Oakdale Harbour Museum reopened its maritime gallery a month after the theft of "
    "its silver compasses. Director Tom Reyes showed visitors the new alarm system and the "
    "empty case where the compasses had stood."
)
FESTIVAL = (
    "The Brookfield maple festival drew record crowds this weekend as farmers sold syrup, "
    "candy and pancakes from forty stalls on the village green. Organiser Lena Park said "
    "the sugar season had been short because of the warm spring."
)
BUDGET = (
    "Riverton city council approved a budget that raises property taxes by two percent to "
    "pay for road repairs and a new fire station. Councillor Omar Haddad voted against, "
    "saying the bridge maintenance fund had been cut."
)


def _corpus(make_article: MakeArticle) -> list[Article]:
    return [
        make_article(
            id="theft",
            title="Silver compasses stolen from harbour museum",
            text=THEFT,
            published="2021-03-02",
        ),
        make_article(
            id="festival",
            title="Record crowds at maple festival",
            text=FESTIVAL,
            published="2021-03-06",
        ),
        make_article(
            id="arrests",
            title="Two arrested over museum compass theft",
            text=ARRESTS,
            published="2021-03-20",
        ),
        make_article(
            id="budget",
            title="Council passes budget with tax rise",
            text=BUDGET,
            published="2021-03-21",
        ),
        make_article(
            id="reopening",
            title="Harbour museum gallery reopens after theft",
            text=REOPENING,
            published="2021-04-05",
        ),
    ]


def _story_of(stories: tuple[Story, ...]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def test_related_articles_form_one_story_and_unrelated_stay_apart(
    make_article: MakeArticle,
) -> None:
    stories = cluster(_corpus(make_article), SETTINGS)
    story_of = _story_of(stories)
    assert story_of["theft"] == story_of["arrests"] == story_of["reopening"]
    assert len({story_of["theft"], story_of["festival"], story_of["budget"]}) == 3
    museum = next(s for s in stories if s.id == story_of["theft"])
    assert museum.article_ids == ("theft", "arrests", "reopening")  # oldest first
    assert museum.title == "Silver compasses stolen from harbour museum"


def test_every_article_is_in_exactly_one_story_and_one_event(
    make_article: MakeArticle,
) -> None:
    corpus = _corpus(make_article)
    stories = cluster(corpus, SETTINGS)
    in_stories = [a for s in stories for a in s.article_ids]
    assert sorted(in_stories) == sorted(a.id for a in corpus)
    for story in stories:
        in_events = [a for e in story.events for a in e.article_ids]
        assert sorted(in_events) == sorted(story.article_ids)


def test_events_are_separated_in_time(make_article: MakeArticle) -> None:
    stories = cluster(_corpus(make_article), SETTINGS)
    museum = next(s for s in stories if "theft" in s.article_ids)
    assert len(museum.events) == 3
    first = museum.events[0]
    assert first.article_ids == ("theft",)
    assert first.start is not None
    assert first.start.iso() == "2021-03-02"


def test_incremental_equals_batch_and_state_round_trips(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    batch = cluster(corpus, SETTINGS)
    clusterer = Clusterer(SETTINGS)
    clusterer.add(corpus[:2])
    restored = Clusterer.from_state(json.loads(json.dumps(clusterer.to_state())), SETTINGS)
    restored.add(corpus[2:4])
    restored.add(corpus[4:])
    assert restored.stories() == batch
    assert len(restored) == len(corpus)


def test_story_ids_are_stable_as_articles_arrive(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    early = cluster(corpus[:1], SETTINGS)
    later = cluster(corpus, SETTINGS)
    assert early[0].id in {s.id for s in later}


def test_groups_are_honoured(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    corpus[1] = make_article(id="festival", text=FESTIVAL, group="g1")
    corpus[3] = make_article(id="budget", text=BUDGET, group="g1")
    stories = cluster(corpus, SETTINGS)
    story_of = _story_of(stories)
    assert story_of["festival"] == story_of["budget"]
    assert story_of["festival"] != story_of["theft"]
    grouped = next(s for s in stories if s.id == story_of["budget"])
    assert grouped.id == stories_from_groups(corpus)[0].id
    assert sorted(grouped.article_ids) == ["budget", "festival"]


def test_duplicates_join_their_originals_story(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    copy = make_article(
        id="copy",
        title="Museum robbed",
        text="Breaking. " + THEFT,
        outlet="Valley Echo",
        published="2021-03-03",
    )
    articles = dedupe([*corpus, copy], DedupeSettings())
    assert articles[-1].duplicate_of == "theft"
    stories = cluster(articles, SETTINGS)
    story_of = _story_of(stories)
    assert story_of["copy"] == story_of["theft"]


def test_annotations_are_used_when_given(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    notes = {
        a.id: Annotations(
            article_id=a.id,
            mentions=(
                Mention(
                    text="Tom Reyes",
                    label="PERSON",
                    evidence=(Span(article_id=a.id, start=0, end=1),),
                ),
            ),
        )
        for a in corpus
        if "Reyes" in a.text
    }
    stories = cluster(corpus, SETTINGS, annotations=notes)
    story_of = _story_of(stories)
    assert story_of["theft"] == story_of["arrests"] == story_of["reopening"]


def test_empty_and_single_corpora(make_article: MakeArticle) -> None:
    assert cluster([], SETTINGS) == ()
    (story,) = cluster([make_article(id="only", text=THEFT)], SETTINGS)
    assert story.article_ids == ("only",)
    assert len(story.events) == 1


def test_bad_input_clusters_without_crashing(make_article: MakeArticle) -> None:
    corpus = [
        make_article(id="empty", title=None, text="", published=None),
        make_article(id="undated", text=THEFT, published=None),
        make_article(id="french", language="fr", text=THEFT.replace("police", "la police")),
        make_article(id="dated", text=ARRESTS, published="2021-03-20"),
    ]
    stories = cluster(corpus, SETTINGS)
    story_of = _story_of(stories)
    assert len(story_of) == 4
    assert story_of["undated"] == story_of["dated"]
    assert story_of["french"] != story_of["dated"]  # never across declared languages
    empty = next(s for s in stories if "empty" in s.article_ids)
    assert empty.article_ids == ("empty",)
    assert empty.title == "empty"  # no title, no text: named by its id


def test_adding_an_article_twice_is_ignored(make_article: MakeArticle) -> None:
    clusterer = Clusterer(SETTINGS)
    article = make_article(id="a", text=THEFT)
    clusterer.add([article])
    clusterer.add([article])
    assert clusterer.stories()[0].article_ids == ("a",)


def test_state_of_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="re-cluster"):
        Clusterer.from_state({"version": 0}, SETTINGS)


def _split_then_joined(make_article: MakeArticle) -> list[Article]:
    """Two museum stories (theft, arrests) that start apart; a rewrite of the theft joins."""
    return [
        make_article(id="theft", title="Compasses stolen", text=THEFT, published="2021-03-02"),
        make_article(id="arrests", title="Two arrested", text=ARRESTS, published="2021-03-03"),
        make_article(
            id="rewrite",
            title="Compasses stolen",
            text=THEFT.replace("overnight", "on Monday night"),
            published="2021-03-04",
        ),
    ]


def test_stories_merge_when_their_centroids_grow_similar(make_article: MakeArticle) -> None:
    strict = ClusterSettings(story_threshold=0.5, merge_threshold=0.2)
    apart = ClusterSettings(story_threshold=0.5, merge_threshold=1.5, merge_link_threshold=1.5)
    corpus = _split_then_joined(make_article)
    assert len(cluster(corpus, apart)) == 2
    (story,) = cluster(corpus, strict)
    assert story.id == cluster(corpus[:1], strict)[0].id  # the older story's id survives
    assert story.article_ids == ("theft", "arrests", "rewrite")
    in_events = sorted(a for e in story.events for a in e.article_ids)
    assert in_events == ["arrests", "rewrite", "theft"]


@pytest.mark.parametrize(("link", "stories"), [(0.2, 1), (1.5, 2)])
def test_stories_merge_on_average_link_alone(
    make_article: MakeArticle, link: float, stories: int
) -> None:
    """Centroids never close enough (merge_threshold 1.5): the mean article cosine decides."""
    settings = ClusterSettings(story_threshold=0.5, merge_threshold=1.5, merge_link_threshold=link)
    assert len(cluster(_split_then_joined(make_article), settings)) == stories


def test_merged_stories_survive_incremental_use_and_state(make_article: MakeArticle) -> None:
    strict = ClusterSettings(story_threshold=0.5, merge_threshold=0.2)
    corpus = _split_then_joined(make_article)
    clusterer = Clusterer(strict)
    clusterer.add(corpus[:2])
    restored = Clusterer.from_state(json.loads(json.dumps(clusterer.to_state())), strict)
    restored.add(corpus[2:])
    restored = Clusterer.from_state(json.loads(json.dumps(restored.to_state())), strict)
    restored.add([dataclasses.replace(corpus[1], id="copy", duplicate_of="arrests")])
    merged = cluster(
        [*corpus, dataclasses.replace(corpus[1], id="copy", duplicate_of="arrests")], strict
    )
    assert restored.stories() == merged
    assert len(merged) == 1


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seeds_are_one_story() -> None:
    from storyline.pipeline import process

    settings = load_settings(overrides=["runner.workers=1"])
    articles, _ = process([SEEDS], settings)
    articles = dedupe(articles, settings.dedupe)
    stories = cluster(articles, settings.cluster)
    assert len(stories) == 1  # events need inferred dates: see tests/test_seeds.py
