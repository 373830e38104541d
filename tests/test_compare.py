"""compare(): claims across outlets — agreement, conflicts, changes over time."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.compare import compare
from storyline.model import Article, Claim, Story
from storyline.settings import DEFAULTS
from tests.conftest import make_article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def claims(*articles: Article) -> list[Claim]:
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in articles))
    return list(compare(story, {a.id: a for a in articles}, DEFAULTS.compare))


def _find(found: list[Claim], subject: str, attribute: str) -> Claim:
    return next(c for c in found if c.subject == subject and c.attribute == attribute)


def test_different_values_at_interleaved_dates_are_a_conflict() -> None:
    found = claims(
        make_article(
            id="a",
            published="2025-03-03",
            text="Police put the value of the stolen clocks at $2.1 million.",
        ),
        make_article(
            id="b",
            published="2025-03-04",
            text="The clocks are valued at $2.4 million, the insurer said.",
        ),
        make_article(
            id="c",
            published="2025-03-05",
            text="The stolen clocks are worth about $2.1 million, police said.",
        ),
    )
    claim = _find(found, "amount", "value")
    assert claim.status == "conflict"
    assert [(v.value, v.article_ids) for v in claim.values] == [
        ("$2.1 million", ("a", "c")),
        ("$2.4 million", ("b",)),
    ]


def test_a_growing_amount_is_a_change_over_time() -> None:
    found = claims(
        make_article(id="a", published="2025-03-12", text="The fund has raised $40,000."),
        make_article(id="b", published="2025-03-13", text="Donors have raised $40,000 so far."),
        make_article(id="c", published="2025-04-11", text="The fund has now raised $95,000."),
    )
    assert _find(found, "amount", "amount raised").status == "changed_over_time"


def test_the_same_value_from_two_outlets_agrees() -> None:
    found = claims(
        make_article(id="a", text="The city offered a $25,000 reward on Wednesday."),
        make_article(id="b", text="A reward of $25,000 was announced by the city."),
    )
    claim = _find(found, "amount", "reward")
    assert claim.status == "agree"
    assert claim.values[0].article_ids == ("a", "b")


def test_ages_a_year_apart_in_articles_a_year_apart_are_a_change_over_time() -> None:
    found = claims(
        make_article(id="a", published="2020-10-14", text="Mara Quinn, 34, spoke first."),
        make_article(id="b", published="2021-10-20", text="Later, Mara Quinn, 35, returned."),
    )
    assert _find(found, "Mara Quinn", "age").status == "changed_over_time"


def test_short_names_join_the_full_name_used_elsewhere() -> None:
    found = claims(
        make_article(id="a", published="2020-10-14", text="Mara Quinn, 34, spoke first."),
        make_article(id="b", published="2020-10-15", text="Quinn, 34, thanked the crowd."),
    )
    claim = _find(found, "Mara Quinn", "age")
    assert claim.values[0].article_ids == ("a", "b")


def test_different_ages_on_one_day_are_a_conflict() -> None:
    found = claims(
        make_article(id="a", published="2020-10-14", text="Mara Quinn, 34, spoke first."),
        make_article(id="b", published="2020-10-14", text="Mara Quinn, 37, spoke first."),
    )
    assert _find(found, "Mara Quinn", "age").status == "conflict"


def test_counts_in_unrelated_sentences_are_not_compared() -> None:
    found = claims(
        make_article(id="a", text="Two people were injured when the ferry hit the pier."),
        make_article(id="b", text="Police arrested five people at the harbor protest."),
    )
    assert not [c for c in found if c.attribute == "number of people"]


def test_counts_in_similar_sentences_that_differ_are_a_conflict() -> None:
    found = claims(
        make_article(
            id="a",
            published="2025-03-03",
            text="The gallery post showed five black and white photos of the crew.",
        ),
        make_article(
            id="b",
            published="2025-03-03",
            text="The four photos in the gallery post showed the crew at work.",
        ),
    )
    assert _find(found, "photos", "number of photos").status == "conflict"


def test_years_durations_and_ages_are_not_counts() -> None:
    found = claims(
        make_article(id="a", text="In 2025 camera images showed 14-year-olds over 3 years."),
        make_article(id="b", text="In 2025 camera images showed 14-year-olds over 3 years."),
    )
    assert found == []


def test_evidence_spans_state_the_value() -> None:
    article = make_article(id="a", text="The fund has raised $40,000.")
    other = make_article(id="b", text="Donors have raised $40,000 so far.")
    claim = _find(claims(article, other), "amount", "amount raised")
    texts = {"a": article.text, "b": other.text}
    for span in claim.values[0].evidence:
        assert texts[span.article_id][span.start : span.end] == "$40,000"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seeds_show_the_photo_conflict_and_ages_that_changed_over_time() -> None:
    import storyline
    from storyline.dating import infer_published

    result = storyline.run([SEEDS], storyline.load_settings(overrides=["runner.workers=1"]))
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in result.articles))
    articles = infer_published(result.articles, [story])
    found = list(compare(story, {a.id: a for a in articles}, DEFAULTS.compare))
    statuses = {(c.attribute, c.status) for c in found}
    assert ("number of photos", "conflict") in statuses
    ages = [c for c in found if c.attribute == "age"]
    assert len(ages) >= 3
    assert all(c.status == "changed_over_time" for c in ages)
    assert [c for c in found if c.status == "conflict"] == [
        c for c in found if c.attribute == "number of photos"
    ]


# --- issue 16: tallies, places and roles, each claim with a kind --------------------------


@pytest.mark.issue(16)
def test_people_hurt_then_treated_is_a_change_over_time() -> None:
    found = claims(
        make_article(
            id="a",
            published="2025-05-04",
            text="Two crew members were hurt when the ferry struck the harbour wall.",
        ),
        make_article(
            id="b",
            published="2025-05-06",
            text="Five crew members were treated in hospital, more than first reported.",
        ),
    )
    claim = _find(found, "people", "number injured")
    assert (claim.kind, claim.status) == ("tally", "changed_over_time")
    assert [(v.value, v.as_of.iso() if v.as_of else None) for v in claim.values] == [
        ("2", "2025-05-04"),
        ("5", "2025-05-06"),
    ]


@pytest.mark.issue(16)
def test_different_death_tolls_on_one_day_conflict() -> None:
    found = claims(
        make_article(id="a", published="2025-05-04", text="The blast killed three people."),
        make_article(id="b", published="2025-05-04", text="Four people died in the blast."),
    )
    assert _find(found, "people", "number dead").status == "conflict"


@pytest.mark.issue(16)
def test_tallies_of_past_years_are_history_not_this_story() -> None:
    found = claims(
        make_article(id="a", published="2025-05-04", text="Two people were hurt on Sunday."),
        make_article(id="b", published="2025-05-04", text="In 2015 nine people were hurt there."),
    )
    assert not [v for c in found for v in c.values if v.value == "9"]


@pytest.mark.issue(16)
def test_places_that_differ_conflict() -> None:
    found = claims(
        make_article(id="a", text="Police arrested two men in Larkspur after a tip on the van."),
        make_article(id="b", text="Police arrested two men in Marlow after a tip on the van."),
    )
    claim = _find(found, "arrest", "place of arrest")
    assert (claim.kind, claim.status) == ("place", "conflict")
    assert sorted(v.value for v in claim.values) == ["Larkspur", "Marlow"]


@pytest.mark.issue(16)
def test_roles_that_differ_conflict_and_the_same_title_agrees_silently() -> None:
    director = make_article(id="a", text="Tobias Wren, the museum's executive director, spoke.")
    curator = make_article(id="b", text="Tobias Wren, the museum's curator, spoke at noon.")
    director_again = make_article(id="c", text="Museum director Tobias Wren thanked the city.")
    claim = _find(claims(director, curator), "Tobias Wren", "role")
    assert (claim.kind, claim.status) == ("role", "conflict")
    assert not [c for c in claims(director, director_again) if c.attribute == "role"]


@pytest.mark.issue(16)
def test_two_roles_in_one_article_are_both_true() -> None:
    both = make_article(
        id="a", text="Director Tobias Wren, the museum's curator, opened the doors early."
    )
    other = make_article(id="b", text="Tobias Wren, the museum's curator, spoke at noon.")
    assert not [c for c in claims(both, other) if c.attribute == "role"]


@pytest.mark.issue(16)
def test_every_claim_has_a_kind() -> None:
    found = claims(
        make_article(id="a", published="2025-03-03", text="Mara Quinn, 34, said $2.1 million."),
        make_article(id="b", published="2025-03-03", text="Mara Quinn, 35, said it was worth it."),
    )
    assert {c.kind for c in found} <= {"age", "amount", "count", "tally", "place", "role"}
    assert _find(found, "Mara Quinn", "age").kind == "age"
