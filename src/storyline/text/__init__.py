"""The language text layer: words, stop words, sentences, numbers and dates per language.

One place for what every stage needs to read a text in its language, so that clustering,
summaries, timelines and claims agree on what a word, a stop word and a sentence are:

- :func:`words` / :func:`terms`: word tokens with offsets, and the lower-cased content
  terms of a text (stop words, French and Italian elisions and English possessives
  handled per language);
- :func:`stop_words`: function words per language (the stopwords-iso collection) plus
  news reporting words, weekday and month names; :func:`text_language` checks a declared
  language against the function words a text uses;
- :func:`split_sentences` / :func:`first_sentence`: sentence boundaries with character
  offsets (Wikimedia's sentencex rules per language; line breaks always end a sentence);
- :func:`month_names`, :func:`weekday_names`, :func:`date_order`, :func:`parse_number`:
  number and date formats per language (Unicode CLDR data through Babel).

English, German, French and Spanish are fully covered (their news words were written for
this layer and tested); other languages get what the packages know (stop words for 58
languages, sentence rules for about 300, CLDR formats for every locale). An unknown or
missing language is read as English. Language codes are ISO 639-1 (``de``; ``de-AT`` and
``DE`` are read as ``de``).
"""

from __future__ import annotations

from storyline.text.formats import date_order, month_names, parse_number, weekday_names
from storyline.text.sentences import first_sentence, split_sentences
from storyline.text.stopwords import LANGUAGES, base_language, stop_words, text_language
from storyline.text.words import WORD, Term, term_items, terms, words

__all__ = [
    "LANGUAGES",
    "WORD",
    "Term",
    "base_language",
    "date_order",
    "first_sentence",
    "month_names",
    "parse_number",
    "split_sentences",
    "stop_words",
    "term_items",
    "terms",
    "text_language",
    "weekday_names",
    "words",
]
