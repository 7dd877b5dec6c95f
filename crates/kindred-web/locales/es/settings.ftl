# settings pages (es).
