variable "environment" {
  type    = string
  default = "dev"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

variable "admin_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}
