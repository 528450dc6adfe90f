PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO _sqlite_migrations VALUES(1,'csprcli','0001_incidents_and_closures','2026-11-26 07:47:20.350911+00:00');
CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            child TEXT NOT NULL,
            la TEXT NOT NULL,
            home_la TEXT,
            incident_date TEXT,
            aware TEXT NOT NULL,
            nature TEXT NOT NULL,
            abuse TEXT NOT NULL,
            looked_after INTEGER NOT NULL DEFAULT 0,
            summary TEXT,
            notified TEXT,
            sin_ref TEXT,
            partners_informed TEXT,
            rr_started TEXT,
            decided TEXT,
            outcome TEXT,
            reason TEXT,
            rr_sent TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
INSERT INTO incidents VALUES(1,'SI-2025-001','LCS-104233','Walsall',NULL,NULL,'2025-12-17','serious-harm','suspected',0,'Før-test','2025-12-23','SIN-1',NULL,NULL,'2026-01-14','lcspr','Agencies','2026-01-16','2026-11-26T07:47:20Z');
INSERT INTO incidents VALUES(2,'SI-2025-002','LCS-317702','Walsall',NULL,NULL,'2025-12-22','death','none',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-26T07:47:21Z');
CREATE TABLE closures (
            day TEXT PRIMARY KEY,
            reason TEXT NOT NULL
        );
INSERT INTO closures VALUES('2026-01-02','Christmas-closure');
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
COMMIT;
