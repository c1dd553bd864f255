import PgBoss from 'pg-boss';
import { APP_ROLE, type Database, type SqlExec } from '../db/database.ts';

export const JOB_SCHEMA = 'pgboss';
// Any constant distinct from the migrations' lock key (db/migrate.ts).
const JOB_SCHEMA_LOCK_KEY = 7_301_991_002;

/** Queue settings the platform relies on. Retry delays are seconds; with backoff they double. */
export interface QueueSpec {
  name: string;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

/**
 * The outbox queue exists from install on, because a web process enqueues into it (in the same
 * transaction as the business write) even when no worker runs there.
 */
export const OUTBOX_QUEUE: QueueSpec = {
  name: 'outbox',
  retryLimit: 8,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

/**
 * pg-boss creates one partition table per queue at runtime (create_queue) and drops it in
 * delete_queue. The runtime role owns nothing, so both run with the installer's rights; their
 * arguments only reach SQL through format(%I / %L) inside pg-boss's functions.
 */
function grantsSql(schema: string): string {
  return `
    GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${APP_ROLE};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE};
    ALTER FUNCTION ${schema}.create_queue(text, json) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
    ALTER FUNCTION ${schema}.delete_queue(text) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
    REVOKE ALL ON FUNCTION ${schema}.create_queue(text, json) FROM PUBLIC;
    REVOKE ALL ON FUNCTION ${schema}.delete_queue(text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ${schema}.create_queue(text, json), ${schema}.delete_queue(text) TO ${APP_ROLE};`;
}

// pg-boss sends parameterless multi-statement strings (its locked BEGIN … COMMIT blocks); the
// owner session runs those with the simple-query protocol already. A failed block would leave
// the session (PGlite's only one) inside an aborted transaction, so it is rolled back here.
function bossDb(exec: SqlExec): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      try {
        return await exec(text, values);
      } catch (err) {
        await exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
  };
}

/**
 * Creates or upgrades pg-boss's schema with the owner connection and grants the runtime role
 * what the queue needs. Idempotent; run after the SQL migrations (pg-boss's own migrations are
 * off at runtime, so a process never needs DDL rights).
 */
export async function installJobSchema(database: Database, queues: readonly QueueSpec[] = [OUTBOX_QUEUE]): Promise<void> {
  await database.ownerSession(async (exec) => {
    // Processes booting at once would race on CREATE SCHEMA (a unique violation in pg_namespace
    // stopped the second one): the install is serialised like the SQL migrations.
    await exec(`SELECT pg_advisory_lock(${JOB_SCHEMA_LOCK_KEY})`);
    try {
      const boss = new PgBoss({ db: bossDb(exec), schema: JOB_SCHEMA, migrate: true, supervise: false, schedule: false });
      await boss.start();
      try {
        for (const queue of queues) {
          await boss.createQueue(queue.name, queue);
          await boss.updateQueue(queue.name, queue);
        }
      } finally {
        await boss.stop({ graceful: false, close: false });
      }
      await exec(grantsSql(JOB_SCHEMA));
    } finally {
      await exec(`SELECT pg_advisory_unlock(${JOB_SCHEMA_LOCK_KEY})`);
    }
  });
}
