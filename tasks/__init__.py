"""Pure stages of the newsevents pipeline; Prefect wrappers live in flows/."""
