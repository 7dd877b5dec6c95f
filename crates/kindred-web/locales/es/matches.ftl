# matches pages (es).
