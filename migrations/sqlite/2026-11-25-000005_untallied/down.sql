DROP TABLE untallied;
