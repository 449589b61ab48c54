"""评估: grade a report the way evaluators do (criteria as data in criteria.toml), with the
evidence, from the parsed report and, for the criteria that compare years, the library."""
