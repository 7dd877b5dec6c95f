DROP TABLE notification_prefs; DROP TABLE reports; DROP TABLE blocks; DROP TABLE check_ins;
DROP TABLE match_events; DROP TABLE matches; DROP TABLE matching_runs; DROP TABLE requests;
