"""The dedupe stage: copies found through boilerplate and edits, rewrites left alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.dedupe import dedupe
from storyline.model import Article, PartialDate
from storyline.settings import DedupeSettings

MakeArticle = Callable[..., Article]
SETTINGS = DedupeSettings()

WIRE = (
    "Rescue crews on Thursday reached the last of the hikers stranded on Mount Calder after "
    "a rockslide cut the only trail down, the county sheriff's office said.\n\n"
    "The eleven hikers, members of a walking club from Pinewick, spent two nights in a "
    "mountain hut while helicopters waited for the fog to lift. All were reported in good "
    "health apart from one woman who twisted an ankle during the descent.\n\n"
    '"We had food for a day and a half, so we rationed it," said club secretary Ada Morrow, '
    'who organised the trip. "Nobody panicked. We played cards and waited."\n\n'
    "Sheriff Leon Barba said the trail would stay closed until geologists had inspected the "
    "slope, which has shifted twice this spring after heavy rain. Park rangers are asking "
    "visitors to use the northern approach until further notice."
)
REWRITE = (
    "Eleven walkers from Pinewick are back on level ground after two nights trapped high on "
    "Mount Calder, where a slide of loose rock buried the path below their shelter.\n\n"
    "Helicopter crews had been grounded by thick fog for most of the rescue, county "
    'officials said. "We had food for a day and a half, so we rationed it," Ada Morrow, '
    "the club's secretary, told this newspaper from the village hall.\n\n"
    "Geologists are due on the mountain next week. Until they have looked at the slope the "
    "sheriff's department is keeping the southern route shut."
)
BOILERPLATE_TOP = "Sign up for our morning briefing and never miss a story.\n\n"
BOILERPLATE_END = (
    "\n\nRead more: Council approves new bus lanes\n\n"
    "Copyright Valley Echo. All rights reserved. Share this story on social media."
)


def test_reprint_with_other_boilerplate_is_a_duplicate(make_article: MakeArticle) -> None:
    original = make_article(id="wire", text=WIRE, outlet="Northwire", published="2022-04-07")
    reprint = make_article(
        id="echo",
        title="Stranded hikers rescued",
        text=BOILERPLATE_TOP + WIRE + BOILERPLATE_END,
        outlet="Valley Echo",
        published="2022-04-08",
    )
    out = dedupe([reprint, original], SETTINGS)
    assert [a.id for a in out] == ["echo", "wire"]
    assert out[0].duplicate_of == "wire"
    assert out[0].syndicated_from == "Northwire"
    assert out[1].duplicate_of is None


def test_light_edits_and_trimmed_copy_are_duplicates(make_article: MakeArticle) -> None:
    edited = WIRE.replace("Thursday", "Friday").replace("eleven", "11").replace("good", "fine")
    trimmed = WIRE.rsplit("\n\n", 1)[0]
    out = dedupe(
        [
            make_article(id="a", text=WIRE, published="2022-04-07"),
            make_article(id="b", text=edited, published="2022-04-07"),
            make_article(id="c", text=trimmed, published="2022-04-09"),
        ],
        SETTINGS,
    )
    assert [a.duplicate_of for a in out] == [None, "a", "a"]


def test_same_event_rewrite_is_not_a_duplicate(make_article: MakeArticle) -> None:
    out = dedupe(
        [make_article(id="a", text=WIRE), make_article(id="b", text=REWRITE, outlet="Gazette")],
        SETTINGS,
    )
    assert [a.duplicate_of for a in out] == [None, None]


def test_original_is_the_syndication_source_when_dates_tie(make_article: MakeArticle) -> None:
    copy = make_article(
        id="aaa", text=WIRE, outlet="Valley Echo", syndicated_from="Northwire", published=None
    )
    source = make_article(id="zzz", text=WIRE, outlet="Northwire", published=None)
    out = dedupe([copy, source], SETTINGS)
    assert out[0].duplicate_of == "zzz"
    assert out[1].duplicate_of is None


def test_stale_marks_are_recomputed(make_article: MakeArticle) -> None:
    out = dedupe([make_article(id="a", text=WIRE, duplicate_of="gone")], SETTINGS)
    assert out[0].duplicate_of is None


def test_empty_and_tiny_corpora(make_article: MakeArticle) -> None:
    assert dedupe([], SETTINGS) == ()
    one = make_article(id="a", text=WIRE)
    assert dedupe([one], SETTINGS) == (one,)
    empty = [make_article(id="a", text=""), make_article(id="b", text="")]
    assert [a.duplicate_of for a in dedupe(empty, SETTINGS)] == [None, None]


def test_short_texts_match_exactly_only(make_article: MakeArticle) -> None:
    out = dedupe(
        [
            make_article(id="a", text="Road closed."),
            make_article(id="b", text="road   CLOSED"),
            make_article(id="c", text="Road open."),
        ],
        SETTINGS,
    )
    assert [a.duplicate_of for a in out] == [None, "a", None]


_PARAGRAPHS = WIRE.split("\n\n") + REWRITE.split("\n\n")
_variant = st.tuples(
    st.integers(min_value=0, max_value=2),  # which base text
    st.sampled_from(["", BOILERPLATE_TOP]),
    st.sampled_from(["", BOILERPLATE_END]),
    st.sampled_from(["2022-04-07", "2022-04-08", None]),
    st.sampled_from(["Northwire", "Valley Echo", None]),
)


def _corpus(variants: list[tuple[int, str, str, str | None, str | None]]) -> list[Article]:
    bases = [WIRE, REWRITE, "\n\n".join(_PARAGRAPHS[::2])]
    out = []
    for k, (base, top, end, published, outlet) in enumerate(variants):
        out.append(
            Article(
                id=f"id{k:02d}",
                source="test",
                title=None,
                text=top + bases[base] + end,
                outlet=outlet,
                published=None if published is None else _date(published),
            )
        )
    return out


def _date(iso: str) -> PartialDate:
    return PartialDate.from_iso(iso)


@settings(max_examples=40, deadline=None)
@given(st.lists(_variant, max_size=8), st.randoms(use_true_random=False))
def test_dedupe_is_idempotent_and_order_independent(
    variants: list[tuple[int, str, str, str | None, str | None]], rng: object
) -> None:
    corpus = _corpus(variants)
    once = dedupe(corpus, SETTINGS)
    assert dedupe(once, SETTINGS) == once
    shuffled = list(corpus)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    by_id = {a.id: a for a in dedupe(shuffled, SETTINGS)}
    assert tuple(by_id[a.id] for a in corpus) == once
    for article in once:  # an original is never itself a copy
        if article.duplicate_of is not None:
            assert by_id[article.duplicate_of].duplicate_of is None


def test_copies_keep_their_own_fields(make_article: MakeArticle) -> None:
    original = make_article(id="a", text=WIRE, published="2022-04-07")
    copy = replace(original, id="b", title="Another headline", published=_date("2022-04-08"))
    out = dedupe([original, copy], SETTINGS)
    assert out[1] == replace(copy, duplicate_of="a")
