"""One XML parser for files from anywhere (EPUB packages, REFI-QDA projects): it never
resolves entities, loads a DTD or touches the network, and builds no huge tree."""

from __future__ import annotations

from lxml import etree


def safe_xml_parser() -> etree.XMLParser:
    """An XML parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
