"""Seventeen unrelated German pages (written for the tests) that share function words only.

The failure of issue 14: with English stop words, German function words ("der", "und",
"nicht", "wird", ...) were what such pages shared, and they formed one story.
"""

from __future__ import annotations

GERMAN_PAGES = {
    "handy": (
        "Das neue Smartphone des Herstellers kommt im Herbst in den Handel. Es hat einen "
        "größeren Akku, der nach Angaben der Firma zwei Tage hält, und eine Kamera mit drei "
        "Linsen. Der Preis liegt bei knapp neunhundert Euro, was für viele Kunden zu viel ist."
    ),
    "kuhstall": (
        "Im Kuhstall von Bauer Huber tragen die Tiere seit dem Frühjahr kleine Sensoren am "
        "Halsband. Die Geräte messen, wie viel die Kühe fressen und ob sie sich genug "
        "bewegen. Wenn eine Kuh krank wird, bekommt der Landwirt eine Nachricht auf sein Telefon."
    ),
    "mode": (
        "Die Modemarke zeigte auf der Schau in Paris Taschen aus Leder und Mäntel in kräftigen "
        "Farben. Der Designer sagte, dass er sich von alten Reisekoffern habe inspirieren "
        "lassen. Die Kollektion soll ab dem Winter in den Geschäften hängen."
    ),
    "zug": (
        "Der Schnellzug blieb am Abend zwischen zwei Bahnhöfen stehen, weil eine Oberleitung "
        "gerissen war. Die Fahrgäste mussten mehr als drei Stunden warten, bis ein anderer "
        "Zug sie abholte. Die Bahn entschuldigte sich und versprach Gutscheine."
    ),
    "radfahren": (
        "Wer in der Stadt mit dem Rad unterwegs ist, findet jetzt mehr breite Radwege. Die "
        "Gemeinde hat an der Salzach neue Strecken gebaut, die auch für Familien mit Kindern "
        "sicher sein sollen. Im Sommer kommen noch Abstellplätze an den Schulen dazu."
    ),
    "fussball": (
        "Der Trainer war nach dem Spiel nicht zufrieden. Seine Mannschaft habe zu langsam "
        "gespielt und vor dem Tor die Nerven verloren. Am Wochenende wartet der Tabellenführer, "
        "und dann müsse sich die Abwehr deutlich steigern, sonst gebe es wieder eine Niederlage."
    ),
    "rezept": (
        "Für den Kuchen braucht man Mehl, Zucker, vier Eier und eine Dose Mandarinen. Den "
        "Teig in eine Form geben und bei mittlerer Hitze eine knappe Stunde backen. Danach "
        "kommt eine Schicht aus Schmand darauf, und der Kuchen muss über Nacht kühl stehen."
    ),
    "kredit": (
        "Wer ein Auto kaufen will, aber nicht genug gespart hat, kann einen Kredit bei der "
        "Bank aufnehmen. Die Zinsen sind in den letzten Monaten gestiegen, deshalb lohnt sich "
        "ein Vergleich. Auch Leasing kann günstiger sein, wenn man das Auto oft wechselt."
    ),
    "garten": (
        "Im Herbst ist die richtige Zeit, um Tulpen und Narzissen zu pflanzen. Die Zwiebeln "
        "sollten etwa doppelt so tief in die Erde wie sie hoch sind. Wer Mäuse im Garten hat, "
        "setzt sie am besten in einen kleinen Korb aus Draht."
    ),
    "museum": (
        "Das Stadtmuseum zeigt ab Freitag Gemälde aus dem Barock, die lange im Depot lagen. "
        "Die Restauratorinnen haben zwei Jahre an den Bildern gearbeitet und dabei eine "
        "verborgene Signatur entdeckt. Der Eintritt ist für Schüler frei."
    ),
    "wetter": (
        "Am Wochenende wird es in den Bergen deutlich kälter, oberhalb von tausend Metern kann "
        "sogar Schnee fallen. Im Flachland bleibt es bei Regen und starkem Wind. Erst ab der "
        "Mitte der nächsten Woche zeigt sich wieder öfter die Sonne."
    ),
    "schule": (
        "Die Grundschule im Ortsteil bekommt endlich eine neue Turnhalle. Der Gemeinderat hat "
        "dem Bau zugestimmt, die Arbeiten beginnen im Frühling. Bis dahin müssen die Kinder "
        "für den Sport weiter mit dem Bus in die Nachbarstadt fahren."
    ),
    "konzert": (
        "Die Band spielte vor ausverkauftem Haus fast drei Stunden lang. Zwischen den alten "
        "Liedern stellte der Sänger auch Stücke vom neuen Album vor, das im Januar erscheint. "
        "Das Publikum sang bei jedem Refrain laut mit."
    ),
    "hund": (
        "Ein Hund ist am Dienstag in einen alten Brunnen gefallen und wurde von der Feuerwehr "
        "gerettet. Die Einsatzkräfte ließen einen Mann an einem Seil hinab, der das Tier in "
        "einer Tasche nach oben brachte. Der Hund war unverletzt, aber sehr durstig."
    ),
    "steuer": (
        "Viele Rentner müssen inzwischen eine Steuererklärung abgeben, weil ihre Renten "
        "gestiegen sind. Das Finanzamt verschickt dazu in diesen Wochen Briefe. Wer Fragen "
        "hat, kann sich an einen Lohnsteuerhilfeverein wenden."
    ),
    "urlaub": (
        "Die Insel ist im Sommer voller Touristen, doch im Oktober wird es ruhig. Dann haben "
        "viele Hotels günstige Angebote, und an den Stränden ist fast niemand. Das Wasser ist "
        "noch warm genug zum Baden, nur die Fähren fahren seltener."
    ),
    "forschung": (
        "Forscher der Universität haben eine Methode entwickelt, mit der sich Plastik im Meer "
        "schneller finden lässt. Ein Satellit erkennt dabei Flecken auf dem Wasser, die dann "
        "von einem Schiff untersucht werden. Die Ergebnisse erscheinen in einer Fachzeitschrift."
    ),
}
