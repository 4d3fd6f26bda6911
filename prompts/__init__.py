"""Prompt files for the LLM reader, shipped as package data (see README.md here)."""
