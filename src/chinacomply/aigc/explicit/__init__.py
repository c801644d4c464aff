"""Explicit labels people can see or hear (GB 45438-2025 §5): text prompts on images and video,
a prefix or suffix in text, the short-long-short-short rhythm in audio."""
