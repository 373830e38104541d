"""Per-article language annotation: named-entity mentions and direct quotes with speakers.

Requires cleaned articles (``text``). Assigns one internal
:class:`~storyline.model.Annotations` per article: ``mentions`` (named entities with their
exact span) and ``quotes`` (direct quotes with a speaker resolved in context, the spans
naming the speaker, and the social platform when the text names one). The story stages
(:mod:`storyline.extract.entities`, :mod:`storyline.extract.quotes`) merge them.

Method:

1. spaCy's NER runs over the articles in batches (``nlp.pipe``) with every other
   component disabled: NER is the throughput bottleneck of the whole system, and
   quotes need no parser.
2. Mentions keep the labels PERSON, ORG, GPE, LOC, FAC, NORP, WORK_OF_ART and EVENT
   (NORP only helps speaker resolution; the entity stage leaves it out).
3. Quotes are found by pairing quote marks and attributed by news conventions; see
   ``_quote_marks``, ``_quote_speaker`` and ``_quote_context`` for each step and its limits.

Limits: English only; NER quality is the installed spaCy pipeline's (``models.spacy``).
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.extract._quote_context import NamedSpan, quote_mentions
from storyline.model import Annotations, Article, Mention, Span
from storyline.models import spacy_pipeline
from storyline.settings import Settings

__all__ = ["MENTION_LABELS", "annotate", "annotate_text"]

MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT"})


def annotate(articles: Sequence[Article], settings: Settings) -> list[Annotations]:
    """Annotate ``articles`` (per-article stage; pure and picklable, runs in workers).

    Args:
        articles: cleaned articles.
        settings: ``models.spacy`` picks the pipeline; ``extract`` the batch size and
            quote rules.

    Returns:
        One :class:`~storyline.model.Annotations` per article, in order.

    Raises:
        ModelError: no spaCy pipeline is installed.
    """
    if not articles:
        return []
    nlp = spacy_pipeline(settings.models.spacy)
    unused = [name for name in nlp.pipe_names if name != "ner"]
    texts = (article.text for article in articles)
    docs = nlp.pipe(texts, disable=unused, batch_size=settings.extract.batch_size)
    out = []
    for article, doc in zip(articles, docs, strict=True):
        names = [
            NamedSpan(ent.start_char, ent.end_char, ent.label_)
            for ent in doc.ents
            if ent.label_ in MENTION_LABELS
        ]
        out.append(
            annotate_text(
                article.text,
                names,
                article_id=article.id,
                min_quote_words=settings.extract.min_quote_words,
            )
        )
    return out


def annotate_text(
    text: str, names: Sequence[NamedSpan], *, article_id: str, min_quote_words: int = 4
) -> Annotations:
    """Annotations of one text given its named-entity mentions (no model needed).

    Args:
        text: the article's cleaned text.
        names: named-entity mentions in text order.
        article_id: written into every span.
        min_quote_words: unattributed quotes shorter than this are dropped.
    """
    mentions = tuple(
        Mention(
            text=text[name.start : name.end],
            label=name.label,
            evidence=(Span(article_id=article_id, start=name.start, end=name.end),),
        )
        for name in names
    )
    quotes = quote_mentions(text, names, article_id=article_id, min_words=min_quote_words)
    return Annotations(article_id=article_id, mentions=mentions, quotes=quotes)
