"""PI categories as data: keys, sensitivity per profile, legal references."""
