# A small AWS stack with a few classic mistakes, for `surveyor scan examples/terraform`.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

locals {
  environment = var.environment
  buckets = {
    assets  = { public = true }
    reports = { public = false }
  }
  common_tags = { team = "platform", environment = local.environment }
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = local.buckets

  name   = "acme-${each.key}-${local.environment}"
  public = each.value.public
  tags   = local.common_tags
}

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = false
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH access"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "bastion_rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = var.admin_cidrs
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = var.environment == "prod"
}

resource "aws_kms_key" "app" {
  description         = "application data"
  enable_key_rotation = false
}

resource "aws_db_instance" "orders" {
  identifier          = "orders-${local.environment}"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "orders"
  manage_master_user_password = true
  publicly_accessible = true
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.app.arn
}

resource "aws_iam_policy" "ci_deploy" {
  name = "ci-deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = module.bucket["reports"].id
  is_multi_region_trail = false
}
