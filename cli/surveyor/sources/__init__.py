"""Inputs: each turns something into a ResourceSet."""
