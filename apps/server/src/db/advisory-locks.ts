/**
 * Every PostgreSQL advisory lock the server takes, in one place, so that no two unrelated
 * critical sections share an id by accident (they would wait on each other across replicas).
 * The migrator's lock is Prisma's own id, so that `prisma migrate` agrees on a connected machine.
 */
export const AdvisoryLock = {
  /** Appending to the audit chain: one predecessor per entry. */
  auditAppend: 7_770_001,
  /** Creating the report-signing key: replicas starting at once on a new database make one. */
  signingKey: 7_770_002,
  /** Role changes, disables and first-run setup: two admins demoting each other must not leave
   *  none, two setups at once must not make two. */
  admins: 7_770_003,
  /** Custom rule uploads: the id collision check and the version number see every earlier upload. */
  customRulesUpload: 7_770_004,
  /** Waiving a rule for its failing hosts: a call sees the waivers of every earlier one, so no host gets two. */
  waiveFailing: 7_770_005,
  /** One history retention run across replicas. */
  historyRetention: 72_707_370,
  /** Applying migrations: Prisma's own id (a hash of "prisma_migrate"). */
  prismaMigrate: 72_707_369,
} as const;
