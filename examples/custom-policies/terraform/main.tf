variable "extra_tags" {
  type = map(string)
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
  tags   = { owner = "team-reports" }
}

resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
  tags   = { env = "dev" }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
}

resource "aws_s3_bucket" "shared" {
  bucket = "acme-shared"
  tags   = var.extra_tags
}
