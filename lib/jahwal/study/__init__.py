"""The study: its parameter schema, the study file and the PRISMA counts it carries."""
