"""Deployments of surveillance technology: the map, GeoJSON and CSV."""
