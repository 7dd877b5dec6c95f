# profile pages (es).
