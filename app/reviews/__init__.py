"""Reviews (casusonderzoeken): the workspace, members, and the method's three-phase guide."""
