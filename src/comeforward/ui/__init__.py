"""The UI kit every app's views share (below every app): forms and permissions."""
