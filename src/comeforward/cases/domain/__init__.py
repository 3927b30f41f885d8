"""Pure case rules (no Django): states, transitions and their guards (ARCHITECTURE.md §4)."""
