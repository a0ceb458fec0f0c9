#!/usr/bin/env python3
"""Draws images/icon.png (128x128): a rounded square with an "A" whose crossbar is a pair of
angle brackets. Pure Python (zlib + struct), 4x4 supersampling; run it again to redraw:

    python3 editors/vscode/scripts/make-icon.py
"""
import math
import os
import struct
import zlib

SIZE = 128
SS = 4  # samples per pixel per axis


def rounded_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def capsule(x, y, ax, ay, bx, by, w):
    """Inside a segment from a to b of half-width w (round caps)."""
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= w * w


def mix(a, b, t):
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(3))


TOP = (37, 55, 94)  # background gradient, top-left
BOTTOM = (17, 24, 46)  # bottom-right
AMBER = (250, 170, 40)
WHITE = (245, 247, 250)


def sample(x, y):
    """Colour and alpha of a point in a 128-unit square."""
    if not rounded_rect(x, y, 4, 4, 124, 124, 24):
        return (0, 0, 0), 0.0
    colour = mix(TOP, BOTTOM, (x + y) / 256)
    # The "A": two legs and a crossbar.
    if capsule(x, y, 64, 24, 34, 102, 9) or capsule(x, y, 64, 24, 94, 102, 9):
        colour = AMBER
    # The crossbar as "< >" brackets, in white, over the legs.
    for sx in (-1, 1):
        if capsule(x, y, 64 + sx * 20, 76, 64 + sx * 9, 68, 3.6) or capsule(x, y, 64 + sx * 20, 76, 64 + sx * 9, 84, 3.6):
            colour = WHITE
    return colour, 1.0


def draw():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter type 0
        for px in range(SIZE):
            acc = [0.0, 0.0, 0.0]
            alpha = 0.0
            for sy in range(SS):
                for sx in range(SS):
                    c, a = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    for i in range(3):
                        acc[i] += c[i] * a
                    alpha += a
            n = SS * SS
            if alpha > 0:
                rgb = [round(acc[i] / alpha) for i in range(3)]
            else:
                rgb = [0, 0, 0]
            row += bytes(rgb + [round(255 * alpha / n)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images", "icon.png")
    with open(out, "wb") as f:
        f.write(png(draw()))
    print(os.path.normpath(out))
