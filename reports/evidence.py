"""Evidence: screenshots made safe to keep, and the digest that shows nothing changed.

A screenshot is trusted only after it decodes as a PNG, JPEG or WebP image of
sensible size; it is then re-encoded as PNG from its pixels alone, so no
metadata (location, device, author) and nothing hidden in the file survives.

The evidence digest is SHA-256 over five length-prefixed parts, in order:

    text:<n>:<UTF-8 bytes of the captured text>
    url:<n>:<UTF-8 bytes of the normalised URL>
    author:<n>:<UTF-8 bytes of the author's handle as given>
    captured_at:<n>:<the capture time in UTC, ISO 8601 with microseconds>
    screenshot:<n>:<bytes of the stored PNG, or nothing>

where <n> is the part's length in bytes, in decimal. Anyone holding the three
parts can recompute it (docs/evidence.md shows how).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}


@dataclass(frozen=True)
class Screenshot:
    png: bytes
    width: int
    height: int


def clean_screenshot(upload) -> Screenshot:
    """Decode, check and re-encode an uploaded image; raise ValidationError with a plain message."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_bytes = settings.SCREENSHOT_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The screenshot is too large ({upload.size / 1e6:.1f} MB): the limit is {max_bytes / 1e6:.0f} MB.",
            code="too_large",
        )
    data = upload.read()
    too_many_pixels = ValidationError(
        f"The screenshot's dimensions are too large (the limit is {settings.SCREENSHOT_MAX_PIXELS:,} pixels). "
        "Take a screenshot of the post itself.",
        code="too_many_pixels",
    )
    not_an_image = ValidationError(
        "That file is not a picture we can read. Upload a screenshot saved as PNG, JPEG or WebP.",
        code="not_an_image",
    )
    try:
        with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as image:
            width, height = image.size
            # Checked before decoding, so a small file claiming huge dimensions is never expanded.
            if width * height > settings.SCREENSHOT_MAX_PIXELS:
                raise too_many_pixels
            image.load()
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    pixels.info.clear()
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=False)
    return Screenshot(png=out.getvalue(), width=pixels.width, height=pixels.height)


def evidence_digest(
    *, captured_text: str, normalised_url: str, author_handle: str, captured_at: datetime, screenshot: bytes = b""
) -> str:
    digest = hashlib.sha256()
    parts = (
        ("text", captured_text.encode()),
        ("url", normalised_url.encode()),
        ("author", author_handle.encode()),
        ("captured_at", captured_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ").encode()),
        ("screenshot", screenshot),
    )
    for name, part in parts:
        digest.update(f"{name}:{len(part)}:".encode())
        digest.update(part)
    return digest.hexdigest()
