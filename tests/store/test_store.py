"""Store behaviour shared by every backend: add, dedupe, stories, search, transactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from storyline.model import (
    Annotations,
    Article,
    Entity,
    Mention,
    Quote,
    QuoteMention,
    Skipped,
    Span,
    Story,
    Summary,
    SummarySentence,
)
from storyline.store import Store, StoryQuery


def story(story_id: str, article_ids: tuple[str, ...], **kw: object) -> Story:
    return Story(id=story_id, title=f"Story {story_id}", article_ids=article_ids, **kw)  # type: ignore[arg-type]


def entity(name: str, *aliases: str) -> Entity:
    return Entity(
        name=name, type="PERSON", aliases=aliases, article_ids=(), mentions=2, evidence=()
    )


def test_added_articles_come_back_in_order(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a, b = make_article(source="a.txt"), make_article(source="b.txt")
    report = fresh_store.add([a, b], [])
    assert report.new_articles == (a, b)
    assert fresh_store.articles() == (a, b)
    assert fresh_store.article(a.id) == a


def test_an_article_stored_twice_is_kept_once(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article(source="a.txt")
    fresh_store.add([a], [])
    report = fresh_store.add([a, make_article(source="b.txt")], [])
    assert report.already_stored == 1
    assert len(report.new_articles) == 1
    assert fresh_store.counts()["articles"] == 2


def test_skipped_inputs_are_stored_once(fresh_store: Store) -> None:
    item = Skipped(source="empty.txt", reason="empty file")
    assert fresh_store.add([], [item]).new_skipped == 1
    assert fresh_store.add([], [item]).new_skipped == 0
    assert fresh_store.skipped() == (item,)


def test_missing_ids_give_none(fresh_store: Store) -> None:
    assert fresh_store.article("nope") is None
    assert fresh_store.story("nope") is None


def test_stories_are_replaced_and_listed_newest_first(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    old = make_article(source="old.txt", published="2020-01-01")
    new = make_article(source="new.txt", published="2024-06-01")
    fresh_store.add([old, new], [])
    fresh_store.set_stories([story("s1", (old.id,)), story("s2", (new.id,))])
    page = fresh_store.stories()
    assert [s.id for s in page.stories] == ["s2", "s1"]
    assert page.total == 2
    fresh_store.set_stories([story("s3", (old.id, new.id))])
    assert [s.id for s in fresh_store.stories().stories] == ["s3"]
    assert fresh_store.article_stories(old.id)[0].id == "s3"


def test_stories_page_and_filter_by_date(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    articles = [make_article(source=f"{y}.txt", published=f"{y}-05-01") for y in range(2015, 2025)]
    fresh_store.add(articles, [])
    fresh_store.set_stories([story(f"s{i}", (a.id,)) for i, a in enumerate(articles)])
    page = fresh_store.stories(StoryQuery(limit=3, offset=3))
    assert [s.id for s in page.stories] == ["s6", "s5", "s4"]
    assert page.total == 10
    ranged = fresh_store.stories(StoryQuery(since=dt.date(2018, 1, 1), until=dt.date(2019, 12, 31)))
    assert [s.id for s in ranged.stories] == ["s4", "s3"]


@pytest.mark.issue(16)
def test_stories_filter_by_outlet_sort_oldest_and_list_several_first(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article(source="a.txt", published="2020-01-01", outlet="Courier")
    b = make_article(source="b.txt", published="2021-01-01", outlet="Radio")
    c = make_article(source="c.txt", published="2022-01-01", outlet="Courier")
    d = make_article(source="d.txt", published="2023-01-01", outlet="Radio")
    fresh_store.add([a, b, c, d], [])
    fresh_store.set_stories([story("pair", (a.id, b.id)), story("c", (c.id,)), story("d", (d.id,))])
    ids = lambda **kw: [s.id for s in fresh_store.stories(StoryQuery(**kw)).stories]  # noqa: E731
    assert ids() == ["d", "c", "pair"]
    assert ids(order="oldest") == ["pair", "c", "d"]
    assert ids(several_first=True) == ["pair", "d", "c"]
    assert ids(outlet="Courier") == ["c", "pair"]
    assert fresh_store.stories(StoryQuery(outlet="Courier")).total == 2
    assert fresh_store.outlets() == ("Courier", "Radio")


def test_stories_filter_by_entity_name_or_alias(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article()
    fresh_store.add([a], [])
    fresh_store.set_stories(
        [
            story("s1", (a.id,), entities=(entity("Tom Reyes", "Reyes"),)),
            story("s2", (a.id,), entities=(entity("Ana Pike"),)),
        ]
    )
    assert [s.id for s in fresh_store.stories(StoryQuery(entity="reyes")).stories] == ["s1"]
    assert [s.id for s in fresh_store.entity_stories("TOM REYES")] == ["s1"]
    assert fresh_store.entity_stories("Nobody") == ()


def test_search_finds_articles_quotes_and_summaries(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article(text="The lighthouse keeper found the compasses in a sea chest.")
    other = make_article(source="o.txt", text="A maple festival drew a record crowd this spring.")
    fresh_store.add([a, other], [])
    span = Span(article_id=a.id, start=0, end=10)
    fresh_store.set_stories(
        [
            story(
                "s1",
                (a.id,),
                quotes=(
                    Quote(
                        text="We never expected a lighthouse to hide them",
                        speaker="Tom Reyes",
                        article_ids=(a.id,),
                        first_seen=a.id,
                        evidence=(span,),
                    ),
                ),
                summary=Summary(
                    sentences=(
                        SummarySentence(
                            text="Compasses turned up at the lighthouse.",
                            article_ids=(a.id,),
                            evidence=(span,),
                        ),
                    )
                ),
            )
        ]
    )
    hits = fresh_store.search("lighthouse")
    assert {h.kind for h in hits} == {"article", "quote", "summary"}
    article_hit = next(h for h in hits if h.kind == "article")
    assert article_hit.article_id == a.id
    start, end = article_hit.highlights[0]
    assert article_hit.snippet[start:end].lower().startswith("lighthouse")
    assert fresh_store.search("maple crowd")[0].article_id == other.id


@pytest.mark.parametrize(
    "text", ["", "  ", '"', "a OR", "NEAR(x y)", "*", "'; DROP TABLE articles; --"]
)
def test_search_syntax_is_never_an_error(
    fresh_store: Store, text: str, make_article: Callable[..., Article]
) -> None:
    fresh_store.add([make_article()], [])
    fresh_store.search(text)
    assert fresh_store.counts()["articles"] == 1


def test_a_failed_transaction_keeps_nothing(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    fresh_store.add([make_article(source="kept.txt")], [])

    def crash_midway() -> None:
        with fresh_store.transaction():
            fresh_store.add([make_article(source="lost.txt")], [Skipped(source="x", reason="y")])
            fresh_store.set_stories([story("s", ())])
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash_midway()
    assert [a.source for a in fresh_store.articles()] == ["kept.txt"]
    assert fresh_store.skipped() == ()
    assert fresh_store.stories().total == 0


def test_result_is_the_output_contract(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article()
    fresh_store.add([a], [Skipped(source="e.txt", reason="empty file")])
    fresh_store.set_stories([story("s", (a.id,))])
    result = fresh_store.result()
    assert result.articles == (a,)
    assert result.skipped == (Skipped(source="e.txt", reason="empty file"),)
    assert [s.id for s in result.stories] == ["s"]


def test_put_stories_replaces_by_id_and_drops(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article()
    fresh_store.add([a], [])
    quote = Quote(
        text="The lighthouse hid them",
        speaker=None,
        article_ids=(a.id,),
        first_seen=a.id,
        evidence=(Span(article_id=a.id, start=0, end=3),),
    )
    fresh_store.set_stories([story("s1", (a.id,), quotes=(quote,)), story("s2", (a.id,))])
    fresh_store.put_stories([story("s1", (a.id,)), story("s3", (a.id,))], drop=["s2"])
    assert sorted(s.id for s in fresh_store.stories().stories) == ["s1", "s3"]
    assert fresh_store.story("s1") == story("s1", (a.id,))
    assert [h for h in fresh_store.search("lighthouse") if h.kind == "quote"] == []


def test_result_orders_stories_largest_first_then_by_id(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a, b = make_article(source="a.txt"), make_article(source="b.txt")
    fresh_store.add([a, b], [])
    fresh_store.set_stories([story("s2", (a.id,))])
    fresh_store.put_stories([story("s1", (b.id,)), story("s0", (a.id, b.id))])
    assert [s.id for s in fresh_store.result().stories] == ["s0", "s1", "s2"]


def test_annotations_and_story_state_round_trip(
    fresh_store: Store, make_article: Callable[..., Article]
) -> None:
    a = make_article()
    span = Span(article_id=a.id, start=4, end=12)
    note = Annotations(
        article_id=a.id,
        mentions=(Mention(text="Tom Reyes", label="PERSON", evidence=(span,)),),
        quotes=(QuoteMention(text="We were lucky", speaker="Tom Reyes", evidence=(span,)),),
    )
    fresh_store.add([a], [])
    fresh_store.add_annotations([note])
    assert fresh_store.annotations([a.id, "unknown"]) == {a.id: note}
    assert fresh_store.story_state() is None
    fresh_store.set_story_state({"version": 1, "clusterer": {"df": {"museum": 2}}})
    assert fresh_store.story_state() == {"version": 1, "clusterer": {"df": {"museum": 2}}}
    fresh_store.set_stories([])
    assert fresh_store.story_state() is None
