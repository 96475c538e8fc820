//! The few EC2 operations whose filter list is a `Filter` member (DescribeHosts,
//! DescribeNatGateways, ...) take `Filters`, as every other EC2 operation calls it
//! (botocore's alias `ec2.*.Filter` -> `Filters`).

use super::super::parameter_alias::ParameterAlias;

pub(crate) static FILTERS_ALIAS: ParameterAlias = ParameterAlias {
    name: "ec2.filters_alias",
    operation: None,
    original: "Filter",
    alias: "Filters",
};
