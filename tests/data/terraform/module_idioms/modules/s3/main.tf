variable "create_bucket" { default = true }
variable "bucket" { default = null }
variable "acl" { default = null }
variable "versioning" { default = {} }
variable "server_side_encryption_configuration" { default = {} }
variable "block_public_acls" { default = true }

locals {
  create_bucket = var.create_bucket
  versioning    = try(jsondecode(var.versioning), var.versioning)
}

resource "aws_s3_bucket" "this" {
  count  = local.create_bucket ? 1 : 0
  bucket = var.bucket
}

resource "aws_s3_bucket_acl" "this" {
  count  = local.create_bucket && var.acl != null ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  acl    = var.acl == "null" ? null : var.acl
}

resource "aws_s3_bucket_versioning" "this" {
  count  = local.create_bucket && length(keys(local.versioning)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  versioning_configuration {
    status     = try(local.versioning["enabled"] ? "Enabled" : "Suspended", tobool(local.versioning["status"]) ? "Enabled" : "Suspended", title(lower(local.versioning["status"])))
    mfa_delete = try(tobool(local.versioning["mfa_delete"]) ? "Enabled" : "Disabled", title(lower(local.versioning["mfa_delete"])), null)
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = local.create_bucket && length(keys(var.server_side_encryption_configuration)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  dynamic "rule" {
    for_each = try(flatten([var.server_side_encryption_configuration["rule"]]), [])
    content {
      bucket_key_enabled = try(rule.value.bucket_key_enabled, null)
      dynamic "apply_server_side_encryption_by_default" {
        for_each = try([rule.value.apply_server_side_encryption_by_default], [])
        content {
          sse_algorithm     = apply_server_side_encryption_by_default.value.sse_algorithm
          kms_master_key_id = try(apply_server_side_encryption_by_default.value.kms_master_key_id, null)
        }
      }
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count                   = local.create_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = var.block_public_acls
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

output "s3_bucket_id" { value = try(aws_s3_bucket.this[0].id, "") }
