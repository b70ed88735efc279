"""The background job runner and the list of jobs."""
