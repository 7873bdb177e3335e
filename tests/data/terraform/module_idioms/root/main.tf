module "logs" {
  source = "../modules/s3"
  bucket = "acme-logs"
  acl    = "log-delivery-write"
  versioning = { enabled = true }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = { sse_algorithm = "aws:kms" }
    }
  }
}
module "off" {
  source        = "../modules/s3"
  create_bucket = false
}
