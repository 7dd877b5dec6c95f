//! The two migration sets describe the same tables and columns.

use diesel::prelude::*;
use diesel::sql_types::Text;
use kindred_testkit::{Backend, TestDb};

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[test]
fn sqlite_and_postgres_schemas_match() {
    let sqlite = TestDb::new(Backend::Sqlite);
    let mut lite = sqlite.conn();
    let mut sqlite_columns: Vec<Column> = match &mut *lite {
        kindred_db::DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' AND m.name != '__diesel_schema_migrations'",
        )
        .load(c)
        .unwrap(),
        _ => unreachable!(),
    };
    let postgres = TestDb::new(Backend::Postgres);
    let mut pg = postgres.conn();
    let mut pg_columns: Vec<Column> = match &mut *pg {
        kindred_db::DbConnection::Postgresql(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name != '__diesel_schema_migrations'",
        )
        .load(c)
        .unwrap(),
        _ => unreachable!(),
    };
    sqlite_columns.sort();
    pg_columns.sort();
    assert!(sqlite_columns.len() > 40, "{sqlite_columns:?}");
    assert_eq!(sqlite_columns, pg_columns);
}

#[test]
fn migrating_twice_is_a_no_op_and_seeding_happens_once() {
    let db = TestDb::new(Backend::Sqlite);
    let mut conn = db.conn();
    let applied = kindred_db::migrate_with(&mut conn, |_| Ok(())).unwrap();
    assert!(applied.is_empty());
    let seed = [kindred_db::tags::NewTag {
        slug: "one",
        label: "One",
        category: "support",
        sensitive: false,
    }];
    assert_eq!(
        kindred_db::tags::seed_if_empty(&mut conn, &seed).unwrap(),
        1
    );
    assert_eq!(
        kindred_db::tags::seed_if_empty(&mut conn, &seed).unwrap(),
        0,
        "a coordinator-owned taxonomy is never re-seeded"
    );
}
