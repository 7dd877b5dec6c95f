DROP TABLE alert_windows;
