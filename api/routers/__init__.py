"""FastAPI routers: each parses requests and hands them to plain functions."""
