"""A saved web page turned into its article's plain text and metadata, with trafilatura.

Trafilatura (the strongest open article extractor on the ScrapingHub benchmark) finds the
article; we decode the bytes ourselves (pages lie about their charset), parse once with lxml
(scripts are never run, nothing is fetched), and render trafilatura's article tree to text
ourselves, so that markup in the page's text stays literal and tables and lists read as lines.

Options, chosen with `bench/extraction_f1.py` on the tuning half of ScrapingHub's benchmark
(shingle F1 0.970 tuning / 0.972 held-out, against 0.961 / 0.959 for trafilatura's defaults):
`favor_precision` drops more boilerplate (related links, captions, bylines); on the rare page
where it keeps under 1,000 characters, a `favor_recall` pass replaces it when that finds twice
as much, so short real pages are not lost; a leading headline equal to the title is dropped.
Comments are never included; nothing is deduplicated (repeated lines can be the article's).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.html_sniff import SNIFF_CHARS
from reader.corpus.formats.html_sniff import looks_like_html as looks_like_html
from reader.corpus.formats.render import blocks_to_text, tree_to_blocks
from reader.text.decoding import BOMS, decode_bytes

if TYPE_CHECKING:
    from configparser import ConfigParser

    from trafilatura.settings import Document

MAX_HTML_BYTES = 16 * 1024 * 1024
# Below this many characters the precision pass may have dropped a real short page: try recall.
SHORT_ARTICLE_CHARS = 1000
# The recall pass replaces the precision pass when it finds at least twice as much text.
RECALL_GAIN = 2.0
# Fewer words than this is a menu or a login form's labels, not an article.
MIN_ARTICLE_WORDS = 10
# A box this short whose class or id says it sells or asks something is not the article.
PROMO_BOX_CHARS = 800
_WORD = re.compile(r"\w+")
_PROMO = re.compile(r"subscri|newsletter|paywall|promo|cookie|consent|signup|sign-up", re.I)

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
# Browsers read these labels as the wider Windows code pages (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
}

# htmldate's extensive search reads dates out of any text ("© 2024" becomes 2024-01-01):
# only the page's markup (meta tags, JSON-LD, <time>) and URL are trusted.
_DATE_OPTIONS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}

_KNOWN_ARTICLE_XPATH = (
    "|".join(
        f'//div[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'
        for name in ("markdown-preview-sizer", "markdown-body", "e-content")
    )
    + '|//*[@itemprop="articleBody"]'
)

_config: ConfigParser | None = None


def extract_html(data: bytes, *, url: str | None = None) -> Extracted:
    """The article in a saved page: body text and metadata, or `Unreadable` saying why not."""
    if len(data) > MAX_HTML_BYTES:
        raise Unreadable(
            f"web page is {len(data) / 2**20:.0f} MB; the limit is {MAX_HTML_BYTES // 2**20} MB"
        )
    text, warnings = decode_html(data)
    tree = _parse(text)
    source = _page_source(text, tree, url)
    meta = _page_metadata(tree, source)
    _prepare_tree(tree)
    blocks = _article_blocks(tree, favor_precision=True)
    if len("\n".join(blocks)) < SHORT_ARTICLE_CHARS:
        recall_blocks = _article_blocks(_parse(text), favor_recall=True)
        if len("\n".join(recall_blocks)) >= RECALL_GAIN * max(len("\n".join(blocks)), 1):
            blocks = recall_blocks
    title = _clean(meta.title)
    if blocks and title and _clean(blocks[0]) == title:
        blocks = blocks[1:]  # the headline is the title, shown apart from the body
    body = blocks_to_text(blocks)
    if len(_WORD.findall(body)) < MIN_ARTICLE_WORDS:
        raise Unreadable("no article text found in the web page")
    return Extracted(
        text=body,
        title=title,
        author=_clean(meta.author),
        date=_iso_date(meta.date),
        site=_clean(meta.sitename) or _domain(source),
        source=source,
        description=_clean(meta.description),
        warnings=warnings,
    )


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """Decode by BOM, then valid UTF-8, then the page's declared charset when the bytes fit
    it, then `decode_bytes`' fallbacks (cp1252 …); never fails on bad input."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data[:SNIFF_CHARS])
    if declared is not None:
        try:
            return data.decode(declared), []
        except UnicodeDecodeError:
            pass
    decoded = decode_bytes(data)
    if decoded.text is None:
        raise Unreadable(f"not a web page: {decoded.skip_reason}")
    return decoded.text, decoded.warnings


def _declared_charset(head: bytes) -> str | None:
    """The codec a `<meta charset>` names, if Python knows it and it is ASCII-compatible."""
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name


def _parse(text: str) -> lxml.html.HtmlElement:
    """One lxml tree of the page; comments and processing instructions are dropped."""
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        no_network=True,
        default_doctype=False,
    )
    payload = text.encode("utf-8", errors="replace")
    try:
        return lxml.html.document_fromstring(payload, parser=parser)
    except (etree.ParserError, ValueError):
        raise Unreadable("no article text found in the web page") from None


def _trafilatura_config() -> ConfigParser:
    """Trafilatura's settings with its signal-based timeout off (we run in worker threads)."""
    global _config
    if _config is None:
        from trafilatura.settings import use_config

        _config = use_config()
        _config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return _config


def _article_blocks(tree: lxml.html.HtmlElement, **options: bool) -> list[str]:
    """The article's blocks (paragraphs, headings, lists, table rows) as trafilatura finds
    them in `tree` (which it prunes in place)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
        deduplicate=False,
        config=_trafilatura_config(),
        **options,
    )
    body = getattr(document, "body", None)
    return [] if body is None else tree_to_blocks(body)


def _prepare_tree(tree: lxml.html.HtmlElement) -> None:
    """Help trafilatura on pages it misreads: drop empty spans (Obsidian's list bullets make
    it discard whole lists) and short subscribe, newsletter and cookie boxes; rename the one
    content container of a known publishing tool (Obsidian Publish, GitHub's Markdown,
    microformats, schema.org) to `<article>` on pages without one, so headings and lists are
    kept instead of bare paragraphs."""
    for span in tree.xpath("//span[not(node())]"):
        span.drop_tag()
    for box in tree.xpath("//body//*[self::div or self::aside or self::section or self::form]"):
        label = f"{box.get('class', '')} {box.get('id', '')}"
        if _PROMO.search(label) and len(box.text_content()) < PROMO_BOX_CHARS:
            box.drop_tree()
    if tree.find(".//article") is not None:
        return
    found = tree.xpath(_KNOWN_ARTICLE_XPATH)
    if len(found) == 1:
        found[0].tag = "article"


def _page_metadata(tree: lxml.html.HtmlElement, source: str | None) -> Document:
    """Title, author, date, site name and description, read before the article is pruned.

    Trafilatura's own `extract_metadata` in the order it uses (meta tags, then JSON-LD, then
    the page's title, byline and date), without the categories, tags and licence we do not
    keep, which cost a quarter of the extraction time.
    """
    from htmldate import find_date
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a lone handle ("admin", "staff") is not a byline
    with contextlib.suppress(ValueError, TypeError, AttributeError, KeyError):
        meta = extract_meta_json(tree, meta)  # malformed JSON-LD: the meta tags stand
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
    try:
        meta.date = find_date(tree, **_DATE_OPTIONS, url=source or meta.url)
    except (ValueError, TypeError, OverflowError):
        meta.date = None
    return meta


def _page_source(text: str, tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """The page's own URL: the browser's saved-from comment, then `url`, then the canonical
    link, then og:url; only absolute http(s) URLs count."""
    saved = _SAVED_FROM.search(text[:SNIFF_CHARS])
    base = url if _is_web_url(url) else None
    candidates = [saved.group(1) if saved else None, url]
    for xpath in (
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href',
        '//meta[@property="og:url" or @name="og:url"]/@content',
    ):
        found = tree.xpath(xpath)
        if found:
            href = str(found[0]).strip()
            candidates.append(urljoin(base, href) if base else href)
    for candidate in candidates:
        if _is_web_url(candidate):
            return candidate
    return None


def _is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL with a host (not file:, javascript:, data: …)."""
    if not value or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _domain(url: str | None) -> str | None:
    """`example.com` for `https://www.example.com/a`, the outlet when the page names none."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _clean(value: str | None) -> str | None:
    """A metadata string with its whitespace collapsed, or None when empty."""
    if not value:
        return None
    return " ".join(value.split()) or None


def _iso_date(value: str | None) -> str | None:
    """`YYYY-MM-DD` when `value` starts with a real date, else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
