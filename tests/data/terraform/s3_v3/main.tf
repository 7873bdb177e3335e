resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
  acl    = "public-read"
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })

  versioning {
    enabled = true
  }

  logging {
    target_bucket = "acme-logs"
    target_prefix = "data/"
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }

  tags = { Team = "data" }
}
