"""story_title(): the headline that best represents the story, never a body sentence."""

from __future__ import annotations

import pytest

from storyline.model import Event, Story
from storyline.title import is_headline, story_title
from tests.conftest import make_article

THEFT = make_article(
    id="a1",
    title="Thieves take fourteen clocks from Harbor Museum",
    text="Thieves took fourteen clocks from the Harbor Museum overnight, police said.",
)
REWARD = make_article(
    id="a2",
    title="City offers reward",
    text="The city offered a reward for the fourteen clocks stolen from the Harbor Museum.",
)
PLAIN = make_article(
    id="a3",
    title="Police arrested two men over the Harbor Museum theft.",
    text="Police arrested two men over the Harbor Museum theft.\n\nThe clocks were found.",
)


@pytest.mark.issue(16)
def test_a_first_line_that_is_a_body_sentence_is_not_a_headline() -> None:
    assert is_headline(THEFT)
    assert not is_headline(PLAIN)


@pytest.mark.issue(16)
def test_the_headline_most_like_the_story_wins_over_a_body_sentence() -> None:
    story = Story(id="s", title=PLAIN.title or "", article_ids=("a3", "a2", "a1"))
    articles = {a.id: a for a in (THEFT, REWARD, PLAIN)}
    assert story_title(story, articles) == THEFT.title


@pytest.mark.issue(16)
def test_headlines_of_the_main_event_come_first() -> None:
    events = (
        Event(id="e1", title="x", article_ids=("a2", "a3")),
        Event(id="e2", title="y", article_ids=("a1",)),
    )
    story = Story(id="s", title="t", article_ids=("a1", "a2", "a3"), events=events)
    articles = {a.id: a for a in (THEFT, REWARD, PLAIN)}
    assert story_title(story, articles) == REWARD.title


@pytest.mark.issue(16)
def test_without_headlines_the_story_keeps_its_title() -> None:
    story = Story(id="s", title="Police arrested two men", article_ids=("a3",))
    assert story_title(story, {"a3": PLAIN}) == "Police arrested two men"
