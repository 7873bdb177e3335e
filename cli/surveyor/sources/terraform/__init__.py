"""Terraform source: .tf files to resources in the effective view.

Parsing: python-hcl2 7.3.1's grammar and transformer (made faithful where it
rewrites expression text, see parse.py); block lines from the first token and
the matching brace, attribute lines by reading each block's own lines. Parse
results are cached by file content (cache.py), a whole scan's resources by an
input manifest (result_cache.py); many uncached files parse in a process pool.
`.tf.json` files are not read; each one found beside .tf files is a notice.

Evaluated statically, by our own expression parser (never Python eval):
literals, string templates with interpolation and %{if}/%{for} directives,
heredocs, arithmetic/comparison/logical operators, `?:`, indexing, attribute
access, splats, `for` expressions (list and map, `if`, grouping `...`),
variables (defaults < TF_VAR_ environment < terraform.tfvars(.json) <
*.auto.tfvars(.json) in lexical order < --var-file < --var), locals (in
dependency order), `count`/`count.index`, `for_each`/`each`, `dynamic` blocks,
local modules (`./` or `../` sources; inputs, outputs, nesting, count and
for_each, addresses such as `module.m["a"].aws_s3_bucket.x[0]`), registry and
git modules that `terraform init` installed (found through the root's
`.terraform/modules/modules.json` by module key, evaluated exactly like local
modules, locations inside `.terraform/modules/...`), the common
built-in functions (functions.py lists them), `file()` and `templatefile()`
of files in the module, and `data "aws_iam_policy_document"` (rendered to its
`json`).

Registry modules not installed: for the most used terraform-aws-modules
modules, an adapter in registry/ plans the resources the module would create
from the call's inputs (at the module's own addresses, attributes located on
the input lines). Any other module whose code is not on disk becomes a
`SourceNotice` ("was not evaluated: run terraform init ..."), shown in every
report and logged once: never a silent skip.

UNKNOWN: attributes the provider computes (`id`, `arn`, anything not written),
other data sources, outputs of unevaluated modules (an adapted module's id and
arn outputs are references to the resource they name), variables with no
value, reference cycles, functions not implemented (e.g. cidrsubnet,
timestamp), and anything Terraform itself would reject. A reference to another
resource stays a `RefUnknown` carrying that resource's address, which the
merge follows to join split S3 and security-group rule resources; so does a
reference to a resource the module does not declare. The first-level keys of
an object-valued attribute get their own lines (`tags.team`,
`environment.0.variables.DB_PASSWORD`).

An unknown `count` or `for_each` yields one instance addressed without an
index whose `count.index` / `each.*` are UNKNOWN; an unknown `for_each` on a
`dynamic` block yields one nested block of UNKNOWN values. `null` attributes
are absent. Heredoc values lose their final newline (python-hcl2 strips it).
Directories found under a target are root modules unless another scanned
directory calls them as a local module. Split rule resources are merged into
`aws_security_group`, not into `aws_default_security_group` (AWS-EC2-004
reads them itself). A root module that fails to evaluate (a bug of ours)
becomes a SourceError; the other roots are still scanned.
"""

from surveyor.sources.terraform.loader import TerraformOptions, load_terraform

__all__ = ["TerraformOptions", "load_terraform"]
