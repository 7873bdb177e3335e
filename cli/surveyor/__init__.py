"""surveyor: one policy set for Terraform and live AWS, results as SARIF."""

__version__ = "0.1.0"
