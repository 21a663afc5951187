"""Phase 2's individual interviews: the guide, notes per topic, quotes and candidate factors."""
