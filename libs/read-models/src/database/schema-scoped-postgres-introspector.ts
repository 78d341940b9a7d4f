import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  type SchemaMetadata,
  type TableMetadata,
  sql,
} from 'kysely';

/**
 * Kysely's PostgreSQL introspector, which its migrator uses to ask whether the migration table
 * exists, reads every column of every table in the whole database and names each schema to
 * `has_schema_privilege`. On a database other people use, that is wrong twice over: it finds
 * another schema's `read_model_migrations` when Quarterly runs on the default search path, and
 * it fails ("schema … does not exist") when someone drops a schema while it runs.
 *
 * This one looks only at the schema Quarterly uses (the one it was given, else the first on
 * the search path), by catalogue ids, and answers table names without columns: nothing in
 * Quarterly reads columns through introspection.
 */
export class SchemaScopedPostgresIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string | undefined,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return [{ name: await this.schemaName() }];
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; name: string; kind: string }>`
      select n.nspname as schema, c.relname as name, c.relkind as kind
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = coalesce(${this.schema ?? null}::text, current_schema())
         and c.relkind in ('r', 'v', 'p')
       order by c.relname`.execute(this.db);
    return rows
      .filter(
        (row) =>
          options.withInternalKyselyTables ||
          (row.name !== DEFAULT_MIGRATION_TABLE && row.name !== DEFAULT_MIGRATION_LOCK_TABLE),
      )
      .map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === 'v', columns: [] }));
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }

  private async schemaName(): Promise<string> {
    if (this.schema !== undefined) return this.schema;
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return rows[0]!.name;
  }
}

/** The PostgreSQL dialect with introspection confined to one schema (see above). */
export class SchemaScopedPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string | undefined,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedPostgresIntrospector(db, this.schema);
  }
}
