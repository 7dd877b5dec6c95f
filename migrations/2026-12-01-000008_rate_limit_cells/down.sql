DROP TABLE rate_limit_cells;
