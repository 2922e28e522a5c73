"""Extraction from new text: read inputs, run the pipeline in a stream, write the Output format."""
