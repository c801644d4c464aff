"""AI-generated content labels (LBL25, GB 45438-2025): the implicit label model, its carriers in
each file format, explicit (visible and audible) labels, C2PA manifests, and the checks a
generator or a content platform runs on every file."""
