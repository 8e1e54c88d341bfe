#!/usr/bin/python3
"""Writes a realistic selfie-like JPEG (60-100 KB) for the check-in benchmark.

usage: make_photo.py OUT.jpg [--seed N]

720x960 portrait (what a phone's front camera gives after the app scales it):
a face-like ellipse over a background gradient, plus sensor-like noise, saved
at quality ~85 like the mobile app does. The quality is adjusted until the file
is 60-100 KB, and the size is asserted. Needs Debian's python3-pil.
"""
import argparse
import io
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

MIN_BYTES, MAX_BYTES = 60 * 1024, 100 * 1024
W, H = 720, 960


def render(seed: int) -> Image.Image:
    rnd = random.Random(seed)
    img = Image.new("RGB", (W, H))
    px = img.load()
    # Office-wall background: vertical + horizontal gradient.
    for y in range(H):
        for x in range(W):
            px[x, y] = (150 + (x * 60) // W, 160 + (y * 50) // H, 175 - (y * 40) // H)
    d = ImageDraw.Draw(img)
    # Shoulders (uniform, batik-ish stripes), neck, face, hair.
    d.ellipse((60, 700, 660, 1300), fill=(40, 70, 120))
    for k in range(0, W, 24):
        d.line((k, 720, k + 40, 960), fill=(200, 160, 60), width=5)
    d.rectangle((300, 560, 420, 720), fill=(190, 140, 110))
    d.ellipse((200, 220, 520, 640), fill=(205, 155, 120))
    d.chord((190, 180, 530, 470), 180, 360, fill=(25, 20, 20))
    # Eyes, mouth.
    d.ellipse((275, 390, 325, 420), fill=(250, 250, 250))
    d.ellipse((395, 390, 445, 420), fill=(250, 250, 250))
    d.ellipse((290, 395, 312, 417), fill=(40, 25, 20))
    d.ellipse((410, 395, 432, 417), fill=(40, 25, 20))
    d.arc((310, 480, 410, 560), 20, 160, fill=(140, 60, 60), width=6)
    img = img.filter(ImageFilter.GaussianBlur(2))
    # Sensor noise: what makes real photos compress to tens of KB, not a few.
    noise = Image.effect_noise((W, H), 24).convert("RGB")
    img = Image.blend(img, noise, 0.12)
    if rnd.random() < 0.5:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return img


def encode(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240101)
    a = ap.parse_args()
    img = render(a.seed)
    data, q = b"", 85
    # Start at the app's quality; nudge it only if this Pillow encodes differently.
    for q in [85, 80, 88, 75, 90, 70, 92, 65, 60]:
        data = encode(img, q)
        if MIN_BYTES <= len(data) <= MAX_BYTES:
            break
    assert MIN_BYTES <= len(data) <= MAX_BYTES, f"photo is {len(data)} bytes, want {MIN_BYTES}-{MAX_BYTES}"
    assert data[:3] == b"\xff\xd8\xff" and data.rstrip(b"\x00")[-2:] == b"\xff\xd9"
    with open(a.out, "wb") as f:
        f.write(data)
    print(f"{a.out}: {W}x{H} JPEG, quality {q}, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
