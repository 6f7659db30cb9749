"""Reading API request bodies: whatever a client sends is a clear 4xx, never a 500.

DRF's JSON parser turns a ``ValueError`` into "JSON parse error", but ``"[" * 100000`` makes Python's JSON decoder
raise ``RecursionError`` instead, which reached the client as a 500. The body's size is bounded before this by
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads JSON through ``request.body``): over it, a 400.
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request the API takes nests deeper than an object holding a list; this leaves plenty of room.
MAX_JSON_DEPTH = 20
TOO_DEEP = f"JSON parse error - the JSON nests more than {MAX_JSON_DEPTH} levels deep."


class HubJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP)
        return data


def nesting_depth(value) -> int:
    """How many arrays and objects deep ``value`` goes, counted without recursion (it may be very deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in value)
    return deepest
