"""Original publication date of a page.

Evidence is tried from the most to the least deliberate: JSON-LD ``datePublished``, publication
meta tags, ``<time>``/``itemprop`` markup, the URL path, date-looking elements near the top of the
article, and finally dates in the visible text.  Modified/updated dates are skipped on purpose: the
register wants when the news broke, not when a typo was fixed.  Every candidate must fall between
1995-01-01 and the fetch date, which rejects copyright years, event dates and build stamps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborNode

from .margins import Margins, visible_text
from .page import Page

__all__ = ["find_date", "find_date_source", "parse_date", "MIN_DATE"]

MIN_DATE = date(1995, 1, 1)

# Month names (and usual abbreviations) of the languages the crawler meets.  Genitive and
# abbreviated forms matter: "15. März", "15 marca", "15 марта", "15 mars".
_MONTHS_RAW: dict[int, str] = {
    1: "january jan januar jänner janvier enero janeiro gennaio januari januarie stycznia styczeń "
    "styczen января январь январ січня січень leden ledna ocak ιανουαρίου tammikuuta januára "
    "gener xaneiro urtarrila sausio janvāris siječnja sijecnja januára ianuarie janu",
    2: "february feb febr februar février fevrier févr fevr febrero fevereiro febbraio februari "
    "februarie lutego luty февраля февраль лютого лютий února unor únor şubat subat "
    "φεβρουαρίου helmikuuta februára febrer febreiro otsaila vasario februāris veljače",
    3: "march mar märz maerz marz mars marzo março marco maart marca marzec марта март березня "
    "березень března brezna březen mart μαρτίου maaliskuuta marca març martie kovo marts "
    "ožujka",
    4: "april apr avril abril aprile kwietnia kwiecień kwiecien апреля апрель квітня квітень "
    "dubna duben nisan απριλίου huhtikuuta apríla aprilie balandžio aprīlis travnja",
    5: "may mai mayo maio maggio mei maja maj мая май травня травень května kvetna květen mayıs "
    "mayis μαΐου μαίου toukokuuta mája maig gegužės maijs svibnja",
    6: "june jun juni juin junio junho giugno czerwca czerwiec июня июнь червня червень června "
    "cervna červen haziran ιουνίου kesäkuuta júna juny iunie birželio jūnijs lipnja",
    7: "july jul juli juillet julio julho luglio lipca lipiec июля июль липня липень července "
    "cervence červenec temmuz ιουλίου heinäkuuta júla juliol iulie liepos jūlijs srpnja",
    8: "august aug août aout agosto augustus sierpnia sierpień sierpien августа август серпня "
    "серпень srpna srpen ağustos agustos αυγούστου elokuuta augusta agost rugpjūčio augusts "
    "kolovoza",
    9: "september sep sept septembre septiembre setiembre setembro settembre września wrzesien "
    "wrzesień сентября сентябрь вересня вересень září zari eylül eylul σεπτεμβρίου "
    "syyskuuta septembra setembre septembrie rugsėjo septembris rujna",
    10: "october oct okt oktober octobre octubre outubro ottobre października pazdziernika "
    "październik октября октябрь жовтня жовтень října rijna říjen ekim οκτωβρίου lokakuuta "
    "októbra octubre octombrie spalio oktobris listopada",
    11: "november nov novembre noviembre novembro listopada listopad ноября ноябрь листопада "
    "листопад listopadu kasım kasim νοεμβρίου marraskuuta novembra noiembrie lapkričio "
    "novembris studenoga",
    12: "december dec dez dezember décembre decembre diciembre dezembro dicembre grudnia grudzień "
    "grudzien декабря декабрь грудня грудень prosince prosinec aralık aralik δεκεμβρίου "
    "joulukuuta decembra desembre decembrie gruodžio decembris prosinca",
}
# Arabic (Egyptian/Gulf and Levantine names), Persian and Hebrew transliterations of the
# Gregorian months, Bulgarian, Serbian/Croatian Latin, Hungarian, Indonesian, Scandinavian.
_MONTHS_MORE: dict[int, str] = {
    1: "يناير كانون ژانویه ינואר януари januar január janvier januari",
    2: "فبراير شباط فوریه פברואר февруари februar február februari",
    3: "مارس آذار מרץ март mart március maret",
    4: "أبريل ابريل إبريل نيسان آوریل אפריל април április",
    5: "مايو أيار ايار مه מאי май maj május",
    6: "يونيو يونيه حزيران ژوئن יוני юни jun június",
    7: "يوليو يوليه تموز ژوئیه יולי юли jul július",
    8: "أغسطس اغسطس آب اوت אוגוסט август avgust augusztus agustus augusti",
    9: "سبتمبر أيلول ايلول سپتامبر ספטמבר септември septembar szeptember",
    10: "أكتوبر اكتوبر تشرين اکتبر אוקטובר октомври oktobar október",
    11: "نوفمبر نوامبر נובמבר ноември novembar",
    12: "ديسمبر دجنبر دسامبر דצמבר декември decembar desember",
}
for _num, _names in _MONTHS_MORE.items():
    _MONTHS_RAW[_num] += " " + _names
MONTHS: dict[str, int] = {}
for _num, _names in _MONTHS_RAW.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _num)
# Ambiguous short forms: "mar" is March in English, "mai" is May; "listopada" is November in
# Polish (October only in Croatian, rarely met), so setdefault's first writer wins above.


_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d|\d\d)(?![\d])")
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?")
# Month names are matched as any word and checked against MONTHS afterwards: one alternation
# of ~300 names at every text position is what makes naive date scanning slow.
_WORD_ = r"([^\W\d_]{3,12})"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|of\s+)?{_WORD_}\.?,?"
    rf"(?:\s*/\s*[^\W\d_]{{3,12}})?\s*(?:de\s+)?((?:19|20)\d\d)(?!\d)"
)
# Solar Hijri (Iranian) dates: "2 تیر 1399" or "1399/04/12".
_JALALI_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        ("فروردین", "اردیبهشت", "خرداد", "تیر تير", "مرداد امرداد", "شهریور شهريور", "مهر",
         "آبان", "آذر", "دی دي", "بهمن", "اسفند")
    )
    for name in names.split()
}
_JALALI_TEXT = re.compile(r"(?<!\d)(\d{1,2})\s+([^\W\d_]{2,12})\s+(1[34]\d\d)(?!\d)")
_JALALI_NUM = re.compile(r"(?<!\d)(1[34]\d\d)[/-](\d{1,2})[/-](\d{1,2})(?!\d)")
# Arabic-Indic and Extended Arabic-Indic (Persian) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_DIGIT = re.compile("[٠-٩۰-۹]")
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w]){_WORD_}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)"
)
_YEAR_MONTH_DAY = re.compile(rf"(?<!\d)((?:19|20)\d\d)\.?\s+{_WORD_}\.?\s+(\d{{1,2}})(?!\d)")
_TIMESTAMP = re.compile(r"^\d{10}(?:\d{3})?$")
_ANY_DIGIT = re.compile(r"\d")

_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")

# Meta keys that carry the original publication date, best first.
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "article.published",
    "published_time",
    "datepublished",
    "date_published",
    "article_date_original",
    "original-publish-date",
    "originalpublicationdate",
    "publication_date",
    "publication-date",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "pub_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.created",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "dc.date.published",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "rnews:datepublished",
    "article:post_date",
    "bt:pubdate",
    "og:pubdate",
    "cxenseparse:recs:publishtime",
    "weibo:article:create_at",
    "created",
    "date",
    "ptime",
    "pdate",
    "displaydate",
    "release_date",
    "shareaholic:article_published_time",
)
_MODIFIED_HINT = re.compile(r"modif|updat|aktualisiert|actualiz|mis à jour|edited|revised", re.I)
_PUBLISHED_HINT = re.compile(
    r"publi|posted|pubdate|veröffentlicht|erschienen|créé|publié|date|time|datum|fecha|data|"
    r"дата|opublikowano|published",
    re.I,
)
_DATE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:date|time|datum|fecha|data|published|publish|pubdate|posted|post-date|"
    r"postdate|timestamp|dateline|byline|article-date|entry-date|meta|info|details|"
    r"article-info|submitted|created|article_created)(?:$|[\s_-])|date|time|publish",
    re.I,
)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date | None:
    """Convert a Solar Hijri date (the Iranian civil calendar) to the Gregorian calendar."""
    if not (1 <= jm <= 12 and 1 <= jd <= 31):
        return None
    # Day count from the Solar Hijri epoch, using the 33-year arithmetic cycle; then
    # offset to the proleptic Gregorian ordinal of 1 Farvardin 1 (622-03-22).
    jy -= 979
    days = 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4
    days += (jm - 1) * 31 if jm <= 7 else 6 * 31 + (jm - 7) * 30
    days += jd - 1
    try:
        return date.fromordinal(date(1600, 3, 20).toordinal() + days)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=16384)
def _is_date_label(label: str) -> bool:
    return bool(_DATE_CLASS.search(label)) and not _MODIFIED_HINT.search(label)


def _valid(y: int, m: int, d: int, lo: date, hi: date) -> date | None:
    try:
        result = date(y, m, d)
    except ValueError:
        return None
    if lo <= result <= hi:
        return result
    return None


def parse_date(
    text: str,
    *,
    lo: date = MIN_DATE,
    hi: date | None = None,
    month_first: bool = False,
) -> date | None:
    """The first plausible calendar date written in ``text`` (any common format), or None.

    ``month_first`` settles 03/04/2020 for English pages; day-first is the world default.
    """
    if not text or not _ANY_DIGIT.search(text):
        return None  # every format below has digits (\d also matches Arabic-Indic ones)
    if hi is None:
        hi = datetime.now(UTC).date()
    text = text.strip()
    if not text.isascii() and _ARABIC_DIGIT.search(text):
        text = text.translate(_DIGITS)  # translate is slow on non-ASCII text: only if needed
    if _TIMESTAMP.match(text):
        try:
            stamp = int(text[:10])
            result = datetime.fromtimestamp(stamp, tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            return None
        return result if lo <= result <= hi else None
    best: tuple[int, date] | None = None

    def consider(pos: int, found: date | None) -> None:
        nonlocal best
        if found is not None and (best is None or pos < best[0]):
            best = (pos, found)

    for m in _ISO.finditer(text):
        consider(m.start(), _valid(int(m[1]), int(m[2]), int(m[3]), lo, hi))
        break
    for m in _CJK.finditer(text):
        consider(m.start(), _valid(int(m[1]), int(m[2]), int(m[3]), lo, hi))
        break
    if best is not None and best[0] == 0:
        return best[1]
    for m in _DAY_MONTH_YEAR.finditer(text):
        month = MONTHS.get(m[2].lower())
        if month:
            found = _valid(int(m[3]), month, int(m[1]), lo, hi)
            if found:
                consider(m.start(), found)
                break
    for m in _MONTH_DAY_YEAR.finditer(text):
        month = MONTHS.get(m[1].lower())
        if month:
            found = _valid(int(m[3]), month, int(m[2]), lo, hi)
            if found:
                consider(m.start(), found)
                break
    for m in _YEAR_MONTH_DAY.finditer(text):
        month = MONTHS.get(m[2].lower())
        if month:
            found = _valid(int(m[1]), month, int(m[3]), lo, hi)
            if found:
                consider(m.start(), found)
                break
    for m in _DMY.finditer(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 2000 if y < 70 else 1900
        if a > 12:
            found = _valid(y, b, a, lo, hi)
        elif b > 12:
            found = _valid(y, a, b, lo, hi)
        elif month_first and m[0].count("/") == 2:
            found = _valid(y, a, b, lo, hi)
        else:
            found = _valid(y, b, a, lo, hi)
        consider(m.start(), found)
        if found:
            break
    if best is None:
        for m in _JALALI_TEXT.finditer(text):
            month = _JALALI_MONTHS.get(m[2])
            if month:
                found = jalali_to_gregorian(int(m[3]), month, int(m[1]))
                if found and lo <= found <= hi:
                    consider(m.start(), found)
                    break
        for m in _JALALI_NUM.finditer(text):
            found = jalali_to_gregorian(int(m[1]), int(m[2]), int(m[3]))
            if found and lo <= found <= hi:
                consider(m.start(), found)
                break
    if best is None:
        for m in _COMPACT.finditer(text):
            found = _valid(int(m[1]), int(m[2]), int(m[3]), lo, hi)
            if found:
                consider(m.start(), found)
                break
    return best[1] if best else None


def _jsonld_dates(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        v = value.get("@value")
        return [v] if isinstance(v, str) else []
    return []


def find_date(
    page: Page, *, fetched_at: datetime | None = None, lang: str | None = None
) -> str | None:
    """ISO date of original publication, or None when the page gives no trustworthy evidence."""
    found, _source = find_date_source(page, fetched_at=fetched_at, lang=lang)
    return found


def _url_date(page: Page, hi: date) -> date | None:
    for url in (page.url, page.canonical):
        if url:
            for pattern in (_URL_DATE, _URL_COMPACT):
                m = pattern.search(url)
                if m:
                    found = _valid(int(m[1]), int(m[2]), int(m[3]), MIN_DATE, hi)
                    if found:
                        return found
    return None


_UTC_TIME = re.compile(r"T(\d\d):\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)\b")


def _reconcile(found: date, raw: str, url_date: date | None) -> date:
    """Prefer the URL's day when a UTC timestamp has crossed midnight relative to it.

    Structured timestamps are often in UTC while the URL slug carries the newsroom's local
    day: an article posted at 21:00 in New York is "tomorrow" in UTC.
    """
    if url_date is None or found == url_date:
        return found
    m = _UTC_TIME.search(raw)
    if m is None:
        return found
    hour = int(m[1])
    delta = (found - url_date).days
    if (delta == 1 and hour < 10) or (delta == -1 and hour >= 14):
        return url_date
    return found


def _label_of(node: LexborNode) -> str:
    attrs = node.attributes
    label = attrs.get("class") or ""
    for key in ("id", "itemprop"):
        value = attrs.get(key)
        if value:
            label = label + " " + value if label else value
    return label


def _in_chrome(node: LexborNode) -> bool:
    """Inside site chrome (header bar, navigation, footer) where "today's date" lives."""
    parent = node.parent
    depth = 0
    while parent is not None and depth < 10:
        tag = parent.tag
        if tag in ("nav", "footer"):
            return True
        label = _label_of(parent) if tag in ("div", "ul", "header", "section") else ""
        if label and _CHROME_HINT.search(label):
            return True
        parent = parent.parent
        depth += 1
    return False


_CHROME_HINT = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|topbar|top-bar|header-top|footer|"
                          r"sidebar|widget|related|recommended|popular|teaser)(?:$|[\s_-])", re.I)


def _doc_positions(root: LexborNode, wanted: set[int]) -> dict[int, int]:
    positions: dict[int, int] = {}
    for index, node in enumerate(root.traverse()):
        if node.mem_id in wanted:
            positions[node.mem_id] = index
            if len(positions) == len(wanted):
                break
    return positions


def _headline(page: Page) -> LexborNode | None:
    for node in page.tree.css("h1"):
        if node.text(deep=True, strip=True):
            return node
    return None


def _nearest_to_headline(
    page: Page, candidates: list[tuple[LexborNode, date]]
) -> date | None:
    """The candidate closest to the headline; dates after it are favoured (bylines)."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0][1]
    h1 = _headline(page)
    root = page.tree.body
    if h1 is None or root is None:
        return candidates[0][1]
    ids = {node.mem_id for node, _ in candidates} | {h1.mem_id}
    pos = _doc_positions(root, ids)
    anchor = pos.get(h1.mem_id)
    if anchor is None:
        return candidates[0][1]

    def distance(item: tuple[LexborNode, date]) -> float:
        where = pos.get(item[0].mem_id)
        if where is None:
            return float("inf")
        return where - anchor if where >= anchor else (anchor - where) * 2.5

    return min(candidates, key=distance)[1]


def find_date_source(
    page: Page, *, fetched_at: datetime | None = None, lang: str | None = None
) -> tuple[str | None, str]:
    """Like :func:`find_date`, also naming the evidence used (for debugging and tests)."""
    hi = (fetched_at or datetime.now(UTC)).date()
    month_first = bool(lang and lang.lower().startswith("en"))
    url_date = _url_date(page, hi)

    def parse(text: str | None) -> date | None:
        if not text:
            return None
        return parse_date(text, hi=hi, month_first=month_first)

    # 1. JSON-LD on article objects, then page objects.
    for group in (page.jsonld.articles, page.jsonld.pages):
        for obj in group:
            for key in ("datePublished", "dateCreated", "uploadDate"):
                for raw in _jsonld_dates(obj.get(key)):
                    found = parse(raw)
                    if found:
                        return _reconcile(found, raw, url_date).isoformat(), "jsonld"

    # 2. Publication meta tags.
    for key in _META_PUBLISHED:
        for raw in page.meta.get(key, ()):
            found = parse(raw)
            if found:
                return _reconcile(found, raw, url_date).isoformat(), "meta"

    tree = page.tree
    # 3. Explicit markup: itemprop=datePublished, <time pubdate>.
    for node in tree.css('[itemprop="datePublished"], [itemprop="dateCreated"], time[pubdate]'):
        attrs = node.attributes
        raw = attrs.get("datetime") or attrs.get("content") or node.text(deep=True)
        found = parse(raw)
        if found:
            return _reconcile(found, raw, url_date).isoformat(), "itemprop"

    # 4. The URL path (/2020/03/15/ or /20200315/): the newsroom's own day.
    if url_date is not None:
        return url_date.isoformat(), "url"

    # 5. <time> elements and elements whose class/id says "date", nearest the headline.
    #    Teasers of other articles and the "today is ..." bar carry dates too, hence the
    #    proximity rule and the chrome filter.
    candidates: list[tuple[LexborNode, date]] = []
    for node in tree.css("time"):
        label = _label_of(node)
        parent = node.parent
        if parent is not None:
            label += " " + _label_of(parent)
        if _MODIFIED_HINT.search(label):
            continue
        found = parse(node.attributes.get("datetime") or node.text(deep=True))
        if found and not _in_chrome(node):
            candidates.append((node, found))
    if not candidates:
        for node in tree.css("[class], [id]"):
            if not _is_date_label(_label_of(node)):
                continue
            text = node.text(deep=True)
            if len(text) > 300 or node.tag in ("html", "body"):
                continue
            found = parse(text)
            if found and not _in_chrome(node):
                candidates.append((node, found))
                if len(candidates) >= 12:
                    break
    chosen = _nearest_to_headline(page, candidates)
    if chosen:
        return chosen.isoformat(), "markup"

    # 6. A date written in the visible text: after a "published" cue, then near the
    #    headline. (Beside the article text is better still: see find_date_beside.)
    body = tree.body
    if body is not None:
        text = visible_text(page)
        for m in _TEXT_CUE.finditer(text):
            found = parse(text[m.end() : m.end() + 40])
            if found:
                return found.isoformat(), "cue"
        h1 = _headline(page)
        start = 0
        if h1 is not None:
            heading = h1.text(deep=True, separator=" ")[:60]
            at = text.find(heading) if heading else -1
            if at >= 0:
                start = max(0, at - 300)
        found = parse(text[start : start + 5000])
        if found is None and start:
            found = parse(text[:5000])
        if found:
            return found.isoformat(), "text"
    return None, "none"


# Words that introduce the publication time in a byline. Deliberately not "date" or
# "time" alone, which also introduce event dates and the "today is" bar.
_TEXT_CUE = re.compile(
    r"(?:发表于|发表时间|发布时间|发布于|发布日期|刊发时间|出版日期|"
    r"\b(?:published|posted)(?: on)?)\s*[:：]?\s*",
    re.I,
)
_BODY_HEAD = 200  # a byline kept inside the extracted block, under its title
_TOKEN_START = re.compile(r"(?<![\w.:/-])[\w]")


def find_date_beside(
    body_text: str,
    around: Margins,
    *,
    fetched_at: datetime | None = None,
    lang: str | None = None,
) -> str | None:
    """A date written at the head of the article text or just above it (its byline), or
    just below it (a blog post's footer).

    Better evidence than a date near the top of the page, which on portal pages is often
    the navigation's; used when the page has no date markup.
    """
    hi = (fetched_at or datetime.now(UTC)).date()
    month_first = bool(lang and lang.lower().startswith("en"))

    def parse(raw: str) -> date | None:
        return parse_date(raw, hi=hi, month_first=month_first)

    found = parse(body_text[:_BODY_HEAD]) or _last_date(around.above, parse)
    found = found or parse(around.below)
    return found.isoformat() if found else None


def _last_date(window: str, parse: Callable[[str], date | None]) -> date | None:
    """The date written last in ``window`` (parse_date gives the first one)."""
    starts = [m.start() for m in _TOKEN_START.finditer(window)]
    for start in reversed(starts):
        found = parse(window[start:])
        if found:
            return found
    return None
