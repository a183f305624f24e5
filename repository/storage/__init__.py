"""Where the repository keeps document bytes: a local folder or an S3-compatible bucket."""
