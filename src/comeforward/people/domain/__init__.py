"""Pure rules about people (no Django): name normalisation and duplicate matching."""
