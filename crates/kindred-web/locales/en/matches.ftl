# matches pages (en).
