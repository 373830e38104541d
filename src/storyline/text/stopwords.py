"""Stop words per language: function words, news reporting words, weekdays and months.

Function words come from the stopwords-iso collection (``stopwordsiso``: 58 languages,
maintained, MIT); to them this layer adds, for English, German, French and Spanish, the
words of news reporting that say nothing about what a story is about ("said", "sagte",
"a déclaré", "dijo", "according", "laut", "selon", "según", "today", ...) and of page
furniture (navigation, legal and sharing links: "privacy", "impressum", "partager",
"suscríbete", ...), and for every language its weekday and month names (CLDR, see
:mod:`storyline.text.formats`). Words are lower case, with the plain apostrophe (a
typographic one is normalised to it).
"""

from __future__ import annotations

import functools
import re

import stopwordsiso

from storyline.text.formats import month_names, weekday_names

__all__ = ["LANGUAGES", "base_language", "stop_words", "text_language"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

LANGUAGES = ("en", "de", "fr", "es")
"""Languages whose news words this layer writes down and tests; others get what the
packages know."""

_WEB = {  # page furniture: navigation, legal and sharing links
    "en": """
        home homepage menu navigation search skip content contact privacy policy cookie
        cookies settings terms conditions imprint accessibility sitemap login log sign
        register account subscribe subscription newsletter follow share facebook twitter
        instagram youtube linkedin whatsapp pinterest tiktok email print comments reply
        rights reserved advertise advertising careers feedback faq help
    """,
    "de": """
        startseite menü navigation suche kontakt datenschutz datenschutzerklärung cookie
        cookies einstellungen impressum agb barrierefreiheit anmelden abmelden registrieren
        konto abonnieren abonnement newsletter folgen teilen facebook twitter instagram
        youtube linkedin whatsapp pinterest drucken kommentare kommentar antworten rechte
        vorbehalten werbung karriere hilfe
    """,
    "fr": """
        accueil menu navigation recherche contact confidentialité cookie cookies paramètres
        mentions légales conditions accessibilité connexion inscription compte abonner
        abonnement newsletter suivez partager facebook twitter instagram youtube linkedin
        whatsapp imprimer commentaires répondre droits réservés publicité aide
    """,
    "es": """
        inicio menú navegación buscar contacto privacidad cookie cookies configuración aviso
        legal condiciones accesibilidad acceder registrarse cuenta suscríbete suscripción
        boletín síguenos compartir facebook twitter instagram youtube linkedin whatsapp
        imprimir comentarios responder derechos reservados publicidad ayuda
    """,
}

_NEWS = {
    "en": """
        according added adding also asked believed claimed comment commented confirmed
        declined describe described explained including noted reported reportedly
        reports report reporting said saying says spokesman spokeswoman spokesperson
        statement stated tell telling told wrote news today yesterday tomorrow tonight
        week weeks year years month months day days time times people first last next
        lrb rrb rsb lsb mr mrs ms dr http https www com html htm org net via
        percent cent per including latest update updated read photo image copyright
    """,
    "de": """
        sagte sagten sagt sagen erklärte erklärten erklärt berichtete berichteten
        berichtet betonte betont teilte mitgeteilt hieß heißt laut zufolge demnach
        angaben sprecher sprecherin mitteilung heute gestern morgen uhr woche wochen
        monat monaten jahr jahren tag tagen prozent euro erst zuletzt rund bisher
        weiter weitere weiteren bereits derzeit www http https html de com
        foto fotos bild bilder lesen artikel aktualisiert
    """,
    "fr": """
        a déclaré déclare déclaré indiqué indique affirmé affirme expliqué explique
        annoncé annonce selon dit dit-il dit-elle précisé précise ajouté ajoute
        aujourd'hui hier demain semaine semaines mois an ans année années jour jours
        heure heures fois porte-parole communiqué cent pourcent euros www http https
        html fr com photo lire article
    """,
    "es": """
        dijo dijeron afirmó afirma explicó explica señaló señala indicó indica añadió
        añade aseguró asegura declaró informó anunció según hoy ayer mañana semana
        semanas mes meses año años día días hora horas vez veces portavoz comunicado
        ciento por euros www http https html es com foto leer artículo
    """,
}


def base_language(language: str | None) -> str:
    """The ISO 639-1 code of ``language`` (``de-AT`` → ``de``); English when unknown."""
    if not language:
        return "en"
    return language.replace("_", "-").split("-")[0].lower() or "en"


@functools.cache
def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (lower case); English ones when it is unknown."""
    code = base_language(language)
    if not stopwordsiso.has_lang(code):
        code = "en" if code not in _NEWS else code
    found = set(stopwordsiso.stopwords(code)) if stopwordsiso.has_lang(code) else set()
    found.update(_NEWS.get(code, "").split())
    found.update(_WEB.get(code, "").split())
    found.update(month_names(code))
    found.update(weekday_names(code))
    return frozenset(w.replace("’", "'") for w in found)


def text_language(text: str, declared: str | None, *, sample: int = 300) -> str:
    """The language ``text`` is written in: ``declared``, unless its function words say
    clearly that it is another of :data:`LANGUAGES`.

    Pages often declare a wrong language (a site-wide ``lang="en"`` on German pages);
    stop words then let through every function word. The share of the first ``sample``
    words that are stop words is compared: another language wins when its share is at
    least 0.25 and one and a half times the declared language's.
    """
    code = base_language(declared)
    tokens = _TOKEN.findall(text[: sample * 12].lower())[:sample]
    if len(tokens) < 20:
        return code
    shares = {
        lang: sum(map(stop_words(lang).__contains__, tokens)) / len(tokens)
        for lang in dict.fromkeys((code, *LANGUAGES))
    }
    best = max(shares, key=lambda lang: (shares[lang], lang == code))
    if best != code and shares[best] >= 0.25 and shares[best] >= 1.5 * shares[code]:
        return best
    return code
