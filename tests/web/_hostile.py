"""A story with every section filled, and an article whose text is hostile markup."""

from __future__ import annotations

from collections.abc import Callable

from storyline.model import (
    Article,
    Claim,
    ClaimValue,
    Entity,
    PartialDate,
    Quote,
    Span,
    Story,
    Summary,
    SummarySentence,
    TimelineEntry,
)
from storyline.store import Store

PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE_TEXT = (
    f"Officials said the vault was empty. {PAYLOAD} Click "
    '<a href="javascript:window.__pwned=3">here</a> &amp; &lt;b&gt; for more.'
)


def build_store(store: Store, make_article: Callable[..., Article]) -> tuple[Store, Story, Article]:
    plain = make_article(source="plain.txt", published="2025-03-12", outlet="Northwire")
    hostile = make_article(
        source="hostile.txt",
        title=f"Heist {PAYLOAD}",
        text=HOSTILE_TEXT,
        outlet="Evil <b>Outlet</b>",
        url="javascript:window.__pwned=4",
        published="2025-03-13",
    )
    span = Span(article_id=plain.id, start=0, end=30)
    evil_span = Span(article_id=hostile.id, start=0, end=35)
    story = Story(
        id="s-heist",
        title=f"Museum heist {PAYLOAD}",
        article_ids=(plain.id, hostile.id),
        entities=(
            Entity(
                name="Tom Reyes",
                type="PERSON",
                aliases=("Reyes",),
                article_ids=(plain.id,),
                mentions=3,
                evidence=(span,),
            ),
        ),
        quotes=(
            Quote(
                text="We replaced the alarm system",
                speaker="Tom Reyes",
                article_ids=(plain.id, hostile.id),
                first_seen=plain.id,
                evidence=(span,),
            ),
        ),
        timeline=(
            TimelineEntry(
                date=PartialDate.from_iso("2025-03-01"),
                text="Compasses stolen",
                article_ids=(plain.id,),
                evidence=(span,),
            ),
        ),
        claims=(
            Claim(
                subject="theft",
                attribute="items taken",
                status="conflict",
                values=(
                    ClaimValue(value="14", as_of=None, article_ids=(plain.id,), evidence=(span,)),
                    ClaimValue(
                        value="3", as_of=None, article_ids=(hostile.id,), evidence=(evil_span,)
                    ),
                ),
            ),
        ),
        summary=Summary(
            sentences=(
                SummarySentence(
                    text="The museum reopened after the theft.",
                    article_ids=(plain.id, hostile.id),
                    evidence=(span, evil_span),
                ),
            )
        ),
    )
    store.add([plain, hostile], [])
    store.set_stories([story])
    return store, story, hostile
