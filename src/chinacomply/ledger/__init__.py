"""Counting distinct individuals per counting window, from keyed hashes of subject keys."""
