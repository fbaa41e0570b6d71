"""The conversations: one module per flow, each exposing handlers()."""
