# settings pages (en).
