"""Benchmark: PDQ image pipeline (reduced decode + hash) vs naive full decode + pdqhash.

Generates seeded, synthetic, non-photographic 12-megapixel JPEGs (smooth gradients, blobs and
noise) in memory — no image is written to disk — then times, on one core:

* ours:  ``comeforward_triage.perceptual.compute_pdq`` (JPEG DCT-scaled decode, 64x64 filter
  matrices, exact dihedral set included);
* naive: ``PIL.Image.open(...).convert("RGB")`` at full resolution + ``pdqhash.compute``.

Prints images/s per core, the ratio (target ≥ 2x) and the Hamming distance between the two
hashes for each image (the accuracy cost of the reduced decode).

    uv run python bench/pdq_pipeline.py            # 8 images, 4032x3024
    uv run python bench/pdq_pipeline.py --images 4 --repeat 2
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np


def synthetic_jpeg(seed: int, width: int, height: int) -> bytes:
    """Smooth colour gradients + random discs + noise; JPEG quality 90, in memory."""
    rng = np.random.default_rng(seed)
    from PIL import Image

    small_h, small_w = height // 16, width // 16
    y, x = np.mgrid[0:small_h, 0:small_w] / max(small_h, small_w)
    base = np.stack(
        [x * rng.uniform(50, 255), y * rng.uniform(50, 255), (x + y) * rng.uniform(20, 120)],
        axis=-1,
    )
    for _ in range(40):
        cx, cy, r = rng.random(3)
        mask = (x - cx) ** 2 + (y - cy) ** 2 < (0.02 + 0.12 * r) ** 2
        base[mask] = rng.uniform(0, 255, 3)
    big = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB").resize(
        (width, height), Image.BILINEAR
    )
    noisy = np.asarray(big, dtype=np.int16) + rng.integers(
        -12, 13, (height, width, 3), dtype=np.int16
    )
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--width", type=int, default=4032)
    parser.add_argument("--height", type=int, default=3024)
    args = parser.parse_args()

    import pdqhash
    from comeforward_triage.perceptual import compute_pdq, hamming
    from PIL import Image

    def naive(data: bytes) -> tuple[str, int]:
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        vector, quality = pdqhash.compute(pixels)
        return np.packbits(vector.astype(np.uint8)).tobytes().hex(), int(quality)

    images = [synthetic_jpeg(seed, args.width, args.height) for seed in range(args.images)]
    mp = args.width * args.height / 1e6
    mean_kb = sum(map(len, images)) / len(images) / 1024
    print(
        f"{args.images} synthetic JPEGs {args.width}x{args.height} ({mp:.1f} MP, "
        f"mean {mean_kb:,.0f} KiB); best of {args.repeat} runs, one core"
    )

    def best_time(fn) -> float:  # type: ignore[no-untyped-def]
        fn(images[0])  # warm caches (filter matrices, libjpeg)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for data in images:
                fn(data)
            best = min(best, time.perf_counter() - t0)
        return best

    ours_s = best_time(compute_pdq)
    naive_s = best_time(naive)
    distances = [hamming(compute_pdq(d)[0], naive(d)[0]) for d in images]
    qualities = [compute_pdq(d)[1] for d in images]
    print(
        f"ours : {ours_s / len(images) * 1000:7.1f} ms/image = "
        f"{len(images) / ours_s:6.1f} images/s/core"
    )
    print(
        f"naive: {naive_s / len(images) * 1000:7.1f} ms/image = "
        f"{len(images) / naive_s:6.1f} images/s/core"
    )
    print(
        f"Hamming distance ours vs naive full-resolution hash: {distances} "
        f"(max {max(distances)}); qualities {qualities}"
    )
    print(f"RATIO ours / naive: {naive_s / ours_s:.1f}x faster (target >= 2x)")


if __name__ == "__main__":
    main()
