"""Rules: dated legal parameters and the calendars they are counted in, shipped as data."""
