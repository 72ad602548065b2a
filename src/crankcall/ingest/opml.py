"""OPML, the file feed readers exchange subscriptions in: read safely, written plainly."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring


@dataclass(frozen=True, kw_only=True, slots=True)
class Subscription:
    """One feed of an OPML file."""

    url: str
    title: str


def read_opml(data: bytes, *, name: str) -> list[Subscription]:
    """The feeds listed in an OPML document (nested outlines included); entities are refused."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as e:
        raise ValueError(f"{name}: not a readable OPML file ({e})") from e
    if root.tag.lower() != "opml":
        raise ValueError(f"{name}: not an OPML file (root element is <{root.tag}>)")
    found: list[Subscription] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            title = (outline.get("title") or outline.get("text") or "").strip()
            found.append(Subscription(url=url, title=title))
    return found


def write_opml(subscriptions: list[Subscription], *, title: str = "crankcall sources") -> bytes:
    """An OPML 2.0 document listing the subscriptions."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    body = SubElement(root, "body")
    for sub in subscriptions:
        SubElement(
            body, "outline", type="rss", text=sub.title or sub.url, title=sub.title, xmlUrl=sub.url
        )
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document
