"""The history layer: audit context, hash chain and its verification, history readers and
as-of selectors. Both domain apps stand on it; it imports neither (import-linter checks)."""
