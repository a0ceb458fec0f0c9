//! SQL data sources (`@aws-amplify/data-schema/internals`): the argument of `configure({ database })`, which
//! `npx ampx generate schema-from-database` writes into `amplify/data/schema.sql.ts` (`amplify-api.md` §2.3;
//! types from `DataSourceConfiguration` of `@aws-amplify/data-schema-types`).

use super::dsl::{doc, path, prop, since};
use super::types::{Doc, ObjTy, Ty};

const fn d(summary: &'static str, details: &'static str) -> Doc {
    doc(summary, details, path::DATA_SQL, since::SCHEMA)
}

static SUBNET_AZ: ObjTy = ObjTy {
    props: &[
        prop(
            "subnetId",
            Ty::Str,
            d(
                "A subnet the SQL Lambda runs in",
                "A subnet of `vpcId` from which the database is reachable.",
            ),
        )
        .req(),
        prop(
            "availabilityZone",
            Ty::Str,
            d(
                "The availability zone of that subnet",
                "For example `us-east-1a`; it must be the zone the subnet lives in.",
            ),
        )
        .req(),
    ],
    extra: None,
};

static VPC_CONFIG: ObjTy = ObjTy {
    props: &[
        prop(
            "vpcId",
            Ty::Str,
            d(
                "The VPC of the database",
                "The SQL Lambda is placed in this VPC so it can reach a database without a public endpoint.",
            ),
        )
        .req(),
        prop(
            "securityGroupIds",
            Ty::Arr(&Ty::Str),
            d(
                "Security groups of the SQL Lambda",
                "They must allow outbound traffic to the database port.",
            ),
        )
        .req(),
        prop(
            "subnetAvailabilityZones",
            Ty::Arr(&Ty::Obj(&SUBNET_AZ)),
            d(
                "Subnets (with their zones) of the SQL Lambda",
                "Each entry is `{ subnetId, availabilityZone }`. Without the list the data construct fails at \
                 synth (verified).",
            ),
        )
        .req()
        .synth(),
    ],
    extra: None,
};

static DATABASE: ObjTy = ObjTy {
    props: &[
        prop(
            "engine",
            Ty::StrLit(&["mysql", "postgresql"]),
            d(
                "The database engine: 'mysql' or 'postgresql'",
                "Any other value makes the data construct fail at synth (verified). Written by \
                 `npx ampx generate schema-from-database`.",
            ),
        )
        .req()
        .synth(),
        prop(
            "connectionUri",
            Ty::Secret,
            d(
                "The connection string, as `secret('NAME')`",
                "Stored in SSM (`npx ampx sandbox secret set SQL_CONNECTION_STRING`); a plain string fails the \
                 synth (verified) and would put the password in source control.",
            ),
        )
        .req()
        .synth(),
        prop(
            "identifier",
            Ty::Str,
            d(
                "A stable name for this data source",
                "Generated from the database; it names the SQL Lambda and its resources, so keep it unchanged \
                 once deployed.",
            ),
        ),
        prop(
            "sslCert",
            Ty::Secret,
            d(
                "A custom SSL certificate, as `secret('NAME')`",
                "Only needed when the database's certificate is not trusted by default; like `connectionUri` it \
                 must be a secret (a plain string fails the synth, verified).",
            ),
        )
        .synth(),
        prop(
            "vpcConfig",
            Ty::Obj(&VPC_CONFIG),
            d(
                "Where the SQL Lambda runs, for a database inside a VPC",
                "Generated when the database has no public endpoint: the VPC, security groups and subnets.",
            ),
        ),
        prop(
            "minimizeRdsVpcEndpoints",
            Ty::Bool,
            d(
                "Create only the SSM VPC endpoint",
                "With `vpcConfig`, provisions only the SSM interface endpoint the SQL Lambda needs instead of the \
                 full set; no effect without `vpcConfig`.",
            ),
        )
        .def("false"),
    ],
    extra: None,
};

/// The argument of `configure(...)`.
pub static CONFIGURE: ObjTy = ObjTy {
    props: &[prop(
        "database",
        Ty::Obj(&DATABASE),
        d(
            "The SQL database the schema is generated from",
            "`engine`, `connectionUri` (a secret) and optionally `identifier`, `sslCert` and `vpcConfig`.",
        ),
    )
    .req()
    .synth()],
    extra: None,
};

/// The module `configure` comes from.
pub const CONFIGURE_MODULE: &str = "@aws-amplify/data-schema/internals";

/// `configure` itself (hover on the call).
pub static CONFIGURE_DOC: Doc = d(
    "Declares the SQL database a generated schema reads",
    "Written by `npx ampx generate schema-from-database` into `amplify/data/schema.sql.ts`; \
     `.schema({...})` follows with one model per table. Refine it in `resource.ts` with `.setAuthorization`, \
     `.renameModels`, `.setRelationships` and `.addToSchema` rather than editing the generated file.",
);
