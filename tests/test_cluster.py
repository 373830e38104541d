"""The cluster stage: stories, events, state rows, consolidation, identity and bad input."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline._cluster_text import heaviest
from storyline.cluster import (
    Clusterer,
    MemoryClusterState,
    StoryChanges,
    cluster,
    stories_from_groups,
)
from storyline.dedupe import dedupe
from storyline.model import Annotations, Article, Mention, Span, Story
from storyline.settings import ClusterSettings, DedupeSettings, load_settings
from tests._german_pages import GERMAN_PAGES

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


# --- the failures of issue 14 ----------------------------------------------------------


@pytest.mark.issue(14)
@pytest.mark.parametrize("declared", ["de", "en"])
def test_unrelated_german_pages_sharing_function_words_stay_apart(
    make_article: MakeArticle, declared: str
) -> None:
    """17 unrelated German pages; also when the site declares them English."""
    pages = [
        make_article(
            id=key, title=None, text=text, language=declared, published=f"2021-03-{i + 1:02d}"
        )
        for i, (key, text) in enumerate(GERMAN_PAGES.items())
    ]
    stories = cluster(pages, SETTINGS)
    assert len(stories) == len(pages)


BRIDGE = [
    (
        "collapse",
        "2021-03-04",
        "Kessler Bridge collapses into the Arlen river",
        "The Kessler Bridge over the Arlen river in Marrow collapsed on Thursday morning, "
        "sending two lorries into the water. Mayor Ines Varga said divers rescued both "
        "drivers. Engineers from Halden Structures, which inspected the bridge last year, "
        "were called to the site.",
    ),
    (
        "collapse-2",
        "2021-03-05",
        "Divers search wreckage of Kessler Bridge",
        "Divers searched the wreckage of the Kessler Bridge in the Arlen river for a third "
        "lorry on Friday. Mayor Ines Varga closed the river to boats and asked Halden "
        "Structures for its inspection records of the bridge.",
    ),
    (
        "inquiry",
        "2021-07-12",
        "Inquiry blames corroded cables for Kessler Bridge collapse",
        "An inquiry into the collapse of the Kessler Bridge in Marrow found that corroded "
        "steel cables had failed. The report says Halden Structures missed the corrosion "
        "during its inspection; Mayor Ines Varga said the city would sue the firm.",
    ),
    (
        "inquiry-2",
        "2021-07-13",
        "Halden Structures disputes Kessler Bridge report",
        "Halden Structures rejected the inquiry's finding that its engineers missed "
        "corroded cables on the Kessler Bridge. Mayor Ines Varga repeated that Marrow "
        "would take the firm to court over the collapse.",
    ),
    (
        "new-bridge",
        "2021-12-15",
        "New Kessler Bridge opens over the Arlen",
        "A new Kessler Bridge opened over the Arlen river in Marrow, nine months after the "
        "old one collapsed. Mayor Ines Varga cut the ribbon; the city has dropped Halden "
        "Structures and hired another firm to inspect the bridge every year.",
    ),
]


def _bridge(make_article: MakeArticle) -> list[Article]:
    return [
        make_article(id=key, title=title, text=text, published=date)
        for key, date, title, text in BRIDGE
    ]


@pytest.mark.issue(14)
def test_a_long_story_in_three_events_months_apart_holds(make_article: MakeArticle) -> None:
    corpus = [*_bridge(make_article), *_corpus(make_article)]
    stories = cluster(corpus, SETTINGS)
    (bridge,) = [s for s in stories if "collapse" in s.article_ids]
    assert bridge.article_ids == ("collapse", "collapse-2", "inquiry", "inquiry-2", "new-bridge")
    assert [e.article_ids for e in bridge.events] == [
        ("collapse", "collapse-2"),
        ("inquiry", "inquiry-2"),
        ("new-bridge",),
    ]
    museum = _story_of(stories)["theft"]
    assert museum != bridge.id


CHROME = (
    "Home | News | Sport | Weather | Contact us | Privacy policy | Cookie settings | "
    "Terms of use | Newsletter | Subscribe | Login | Register | Follow us on social media | "
    "All rights reserved | Imprint | Accessibility | Careers | Advertise with us"
)


@pytest.mark.issue(14)
def test_pages_sharing_site_chrome_only_do_not_form_a_story(make_article: MakeArticle) -> None:
    pages = [
        make_article(id=key, title=None, text=f"{text}\n\n{CHROME}", published="2021-03-02")
        for key, text in (("theft", THEFT), ("festival", FESTIVAL), ("budget", BUDGET))
    ]
    stories = cluster(pages, SETTINGS)
    assert len(stories) == 3


def _mention(article_id: str, text: str, label: str = "PERSON") -> Mention:
    return Mention(text=text, label=label, evidence=(Span(article_id=article_id, start=0, end=1),))


FRENCH = (
    "Le pont Kessler s'est effondré jeudi matin dans l'Arlen, à Marrow. La maire Ines "
    "Varga a indiqué que les plongeurs avaient sauvé les deux chauffeurs. Les ingénieurs de "
    "Halden Structures, qui avaient inspecté le pont l'an dernier, sont sur place."
)


@pytest.mark.issue(14)
def test_pages_in_different_languages_join_only_on_shared_names(
    make_article: MakeArticle,
) -> None:
    english = _bridge(make_article)[:2]
    french = make_article(id="fr", title=None, text=FRENCH, language="fr", published="2021-03-04")
    festival = make_article(id="fest", text=FESTIVAL, language="fr", published="2021-03-04")
    names = ("Kessler Bridge", "Ines Varga", "Halden Structures", "Marrow", "Arlen")
    notes = {
        a.id: Annotations(article_id=a.id, mentions=tuple(_mention(a.id, n) for n in names))
        for a in [*english, french]
    }
    story_of = _story_of(cluster([*english, french, festival], SETTINGS, annotations=notes))
    assert story_of["fr"] == story_of["collapse"]
    assert story_of["fest"] != story_of["collapse"]
    unnamed = {a.id: Annotations(article_id=a.id) for a in [*english, french]}
    apart = _story_of(cluster([*english, french], SETTINGS, annotations=unnamed))
    assert apart["fr"] != apart["collapse"]  # NER found no names: no evidence across languages


# --- incremental use, state rows, identity ------------------------------------------------


def _in_batches(
    articles: list[Article], sizes: list[int], state: MemoryClusterState
) -> tuple[Story, ...]:
    start = 0
    for size in sizes:
        clusterer = Clusterer(SETTINGS, state=state)  # rows read back each time
        clusterer.add(articles[start : start + size], annotations={})
        clusterer.consolidate()
        clusterer.flush()
        start += size
    return Clusterer(SETTINGS, state=state).stories()


@pytest.mark.issue(14)
def test_incremental_equals_batch_after_consolidation(make_article: MakeArticle) -> None:
    corpus = sorted(
        [*_corpus(make_article), *_bridge(make_article)], key=lambda a: str(a.published)
    )
    batch = cluster(corpus, SETTINGS)
    assert _in_batches(corpus, [1] * len(corpus), MemoryClusterState()) == batch
    assert _in_batches(corpus, [4, 3, 3], MemoryClusterState()) == batch


def test_state_round_trips_as_one_document(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    clusterer = Clusterer(SETTINGS)
    clusterer.add(corpus[:2], annotations={})
    restored = Clusterer.from_state(json.loads(json.dumps(clusterer.to_state())), SETTINGS)
    restored.add(corpus[2:], annotations={})
    assert restored.stories() == cluster(corpus, SETTINGS)
    assert len(restored) == len(corpus)


class _CountingState(MemoryClusterState):
    """Counts the rows read and written."""

    def __init__(self) -> None:
        super().__init__()
        self.read = 0
        self.written = 0

    def get_rows(self, kind: str, keys: Collection[str]) -> dict[str, bytes]:
        self.read += len(keys)
        return super().get_rows(kind, keys)

    def put_rows(self, kind: str, rows: Mapping[str, bytes]) -> None:
        self.written += len(rows)
        super().put_rows(kind, rows)

    def scan(self, kind: str) -> Iterator[tuple[str, bytes]]:
        raise AssertionError("an update must not scan the state")


def test_an_update_reads_and_writes_only_the_rows_it_needs(make_article: MakeArticle) -> None:
    state = _CountingState()
    many = [  # forty unrelated articles, each with words of its own
        make_article(
            id=f"other{k}",
            title=None,
            text=" ".join(f"{word}{k}x" for word in FESTIVAL.lower().split()),
            published="2021-01-01",
        )
        for k in range(40)
    ]
    clusterer = Clusterer(SETTINGS, state=state)
    clusterer.add([*many, *_corpus(make_article)[:1]], annotations={})
    clusterer.consolidate()
    clusterer.flush()
    total = sum(len(rows) for rows in state.rows.values())
    state.read = state.written = 0
    clusterer = Clusterer(SETTINGS, state=state)
    clusterer.add([_corpus(make_article)[2]], annotations={})  # joins the museum story
    clusterer.consolidate()
    assert clusterer.changes().touched == {clusterer.story_of(["theft"])["theft"]}
    clusterer.flush()
    assert state.read + state.written < total / 4


def test_preview_says_where_an_article_would_go_and_changes_nothing(
    make_article: MakeArticle,
) -> None:
    corpus = _corpus(make_article)
    clusterer = Clusterer(SETTINGS)
    clusterer.add(corpus[:2], annotations={})
    clusterer.consolidate()
    before = clusterer.to_state()
    seen = clusterer.preview(
        [corpus[2], make_article(id="new", title=None, text=BUDGET, published="2021-03-21")],
        annotations={},
    )
    assert seen == {"arrests": clusterer.story_of(["theft"])["theft"], "new": None}
    assert clusterer.to_state() == before


def test_members_story_of_and_changes(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    clusterer = Clusterer(SETTINGS)
    clusterer.add(corpus, annotations={})
    clusterer.consolidate()
    museum = clusterer.story_of(["theft"])["theft"]
    assert clusterer.members(museum) == ("theft", "arrests", "reopening")
    assert clusterer.members("no such story") == ()
    assert clusterer.changes().touched == {s.id for s in clusterer.stories()}
    clusterer.flush()
    assert clusterer.changes() == StoryChanges()
    assert [s.id for s in clusterer.stories([museum])] == [museum]


def test_a_story_takes_the_id_of_its_earliest_member_and_maps_merged_ids(
    make_article: MakeArticle,
) -> None:
    bridge = _bridge(make_article)
    clusterer = Clusterer(SETTINGS)
    clusterer.add([bridge[2]], annotations={})  # the inquiry arrives first
    clusterer.consolidate()
    first = clusterer.story_of(["inquiry"])["inquiry"]
    clusterer.flush()
    clusterer.add(bridge[:2], annotations={})  # then the older collapse reports
    clusterer.consolidate()
    story = clusterer.story_of(["collapse"])["collapse"]
    assert clusterer.story_of(["inquiry"])["inquiry"] == story != first
    changes = clusterer.changes()
    assert changes.merged == {first: story}
    assert first in changes.removed
    assert story in changes.touched
    assert story == cluster(bridge[:3], SETTINGS)[0].id


def test_story_ids_are_stable_as_articles_arrive(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    early = cluster(corpus[:1], SETTINGS)
    later = cluster(corpus, SETTINGS)
    assert early[0].id in {s.id for s in later}


# --- groups, copies, annotations, bad input -----------------------------------------------


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
        a.id: Annotations(article_id=a.id, mentions=(_mention(a.id, "Tom Reyes"),))
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
        make_article(id="mislabelled", language="fr", text=ARRESTS, published="2021-03-21"),
        make_article(id="dated", text=ARRESTS, published="2021-03-20"),
    ]
    stories = cluster(corpus, SETTINGS)
    story_of = _story_of(stories)
    assert len(story_of) == 4
    assert story_of["undated"] == story_of["dated"]
    assert story_of["mislabelled"] == story_of["dated"]  # English text declared French
    empty = next(s for s in stories if "empty" in s.article_ids)
    assert empty.article_ids == ("empty",)
    assert empty.title == "empty"  # no title, no text: named by its id


def test_adding_an_article_twice_is_ignored(make_article: MakeArticle) -> None:
    clusterer = Clusterer(SETTINGS)
    article = make_article(id="a", text=THEFT)
    clusterer.add([article], annotations={})
    clusterer.add([article, article], annotations={})
    assert clusterer.stories()[0].article_ids == ("a",)
    assert len(clusterer) == 1


def test_state_of_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="re-cluster"):
        Clusterer.from_state({"version": 0}, SETTINGS)
    state = MemoryClusterState({"meta": {"m": b'{"version": 0}'}})
    with pytest.raises(ValueError, match="re-cluster"):
        Clusterer(SETTINGS, state=state)


def test_copies_of_stored_articles_join_them_in_a_later_batch(make_article: MakeArticle) -> None:
    corpus = _corpus(make_article)
    state = MemoryClusterState()
    first = Clusterer(SETTINGS, state=state)
    first.add(corpus, annotations={})
    first.consolidate()
    first.flush()
    later = Clusterer(SETTINGS, state=state)
    later.add([dataclasses.replace(corpus[2], id="copy", duplicate_of="arrests")], annotations={})
    assert later.story_of(["copy"])["copy"] == later.story_of(["theft"])["theft"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seeds_are_one_story() -> None:
    from storyline.pipeline import process

    settings = load_settings(overrides=["runner.workers=1"])
    articles, _ = process([SEEDS], settings)
    articles = dedupe(articles, settings.dedupe)
    stories = cluster(articles, settings.cluster)
    assert len(stories) == 1  # events need inferred dates: see tests/test_seeds.py


@given(
    st.dictionaries(st.text(max_size=3), st.floats(min_value=0, max_value=5), max_size=40),
    st.integers(min_value=-3, max_value=50),
)
def test_heaviest_terms_come_first_ties_by_term(vector: dict[str, float], n: int) -> None:
    ranked = heaviest(vector, n)
    assert ranked == sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
