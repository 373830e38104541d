"""Story entities: name forms of one referent merged, types mapped, ranked by salience."""

from __future__ import annotations

import re

from storyline.extract._quote_context import NamedSpan
from storyline.extract.annotate import annotate_text
from storyline.extract.entities import story_entities
from storyline.model import Annotations, Article, Story
from storyline.settings import DEFAULTS
from tests.conftest import make_article


def _names(text: str, labels: dict[str, str]) -> list[NamedSpan]:
    found = []
    for name, label in labels.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if not any(n.start <= m.start() < n.end for n in found):
                found.append(NamedSpan(m.start(), m.end(), label))
    return sorted(found, key=lambda n: n.start)


LABELS = {
    "Jon Vale": "PERSON",
    "Nora Vale": "PERSON",
    "Vale": "ORG",  # NER mislabels a bare surname now and then
    "Nora": "PERSON",
    "Oakdale": "GPE",
    "Harbour Museum": "ORG",
    "the Harbour Museum": "ORG",
    "Danish": "NORP",
}


def _run(*articles: Article) -> list[tuple[str, str, tuple[str, ...], int]]:
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in articles))
    annotations: dict[str, Annotations] = {
        a.id: annotate_text(a.text, _names(a.text, LABELS), article_id=a.id) for a in articles
    }
    entities = story_entities(story, {a.id: a for a in articles}, annotations, DEFAULTS)
    return [(e.name, e.type, e.aliases, len(e.article_ids)) for e in entities]


def test_name_forms_merge_into_one_person() -> None:
    one = make_article(
        id="one",
        text='Jon Vale played in Oakdale. "I missed this room," Vale said.\n\n'
        '"Every night felt long," the singer said.',
    )
    two = make_article(id="two", text="Nora Vale and Jon Vale left Oakdale. Nora smiled.")
    found = _run(one, two)
    jon = next(f for f in found if f[0] == "Jon Vale")
    assert jon[1] == "person"
    assert "the singer" in jon[2]
    nora = next(f for f in found if f[0] == "Nora Vale")
    assert nora[2] == ("Nora",)
    assert found[0][3] == 2  # names in both articles rank first


def test_types_and_leading_article() -> None:
    article = make_article(
        text="The Harbour Museum in Oakdale hired a Danish guard. "
        "Visitors returned to the Harbour Museum."
    )
    found = {name: kind for name, kind, _aliases, _n in _run(article)}
    assert found["Harbour Museum"] == "organization"
    assert found["Oakdale"] == "place"
    assert "Danish" not in found


def test_every_evidence_span_points_at_its_name() -> None:
    article = make_article(text="Jon Vale met Nora Vale in Oakdale.")
    story = Story(id="s", title="t", article_ids=(article.id,))
    ann = annotate_text(article.text, _names(article.text, LABELS), article_id=article.id)
    for entity in story_entities(story, {article.id: article}, {article.id: ann}, DEFAULTS):
        for span in entity.evidence:
            assert article.text[span.start : span.end] in (entity.name, *entity.aliases)


def test_label_variants_of_one_name_are_one_entity_named_in_normal_case() -> None:
    from storyline.model import Mention, Span

    article = make_article(
        id="a", text="WENDOVER - Wendover held its fair. Wendover Grange hosted."
    )
    notes = {
        "a": Annotations(
            article_id="a",
            mentions=(
                Mention(
                    text="WENDOVER", label="ORG", evidence=(Span(article_id="a", start=0, end=8),)
                ),
                Mention(
                    text="Wendover", label="GPE", evidence=(Span(article_id="a", start=11, end=19),)
                ),
                Mention(text="4:51", label="ORG", evidence=(Span(article_id="a", start=0, end=4),)),
            ),
        )
    }
    story = Story(id="s", title="t", article_ids=("a",))
    entities = story_entities(story, {"a": article}, notes, DEFAULTS)
    assert [(e.name, e.aliases, e.mentions) for e in entities] == [("Wendover", ("WENDOVER",), 2)]
