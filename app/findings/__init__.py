"""The findings tree (bevindingenboom), frameworks for coding factors, and what works."""
