"""Image files made by the tests themselves."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(fmt: str = "PNG", size=(40, 30), name: str = "shot.png", exif: bytes | None = None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        image.save(buffer, format=fmt, exif=exif)
    else:
        image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def fake_png(name: str = "shot.png"):
    """A file named and typed as PNG that is not an image at all."""
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n this is not really a picture", content_type="image/png")


def png_bomb(width: int = 100_000, height: int = 100_000):
    """A tiny, valid PNG header claiming enormous dimensions (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")
