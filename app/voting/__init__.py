"""Sticker rounds (stickers prioriteren): dot voting on factors, exact under concurrency."""
