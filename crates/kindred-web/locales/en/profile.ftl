# profile pages (en).
