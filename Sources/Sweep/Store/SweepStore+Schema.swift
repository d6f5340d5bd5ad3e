// The store's tables, their versions, and how a file is recognised as a store before anything is written to it.

import Foundation
import GRDB

extension SweepStore {
    /// `PRAGMA application_id` of every store: "aesw". Tells a store from any other SQLite file.
    static let applicationID: Int32 = 0x6165_7377

    /// Versioned migrations; each identifier, once released, never changes.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    -- One row per spec version a sweep started with.
                    CREATE TABLE sweep (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        spec_text TEXT NOT NULL,
                        recorded_at DATETIME NOT NULL
                    );
                    CREATE TABLE trial (
                        id TEXT PRIMARY KEY NOT NULL,
                        configuration_id TEXT NOT NULL,
                        configuration TEXT NOT NULL,          -- canonical JSON, what `id` hashes
                        parameters TEXT NOT NULL,             -- JSON: swept key -> {"kind": value}
                        seed INTEGER NOT NULL,                -- the UInt64's bit pattern
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'done', 'failed', 'stopped')),
                        attempt INTEGER NOT NULL DEFAULT 0,   -- times handed to a worker
                        worker TEXT,
                        lease_owner TEXT,
                        lease_expires_at DATETIME,
                        created_at DATETIME NOT NULL,
                        started_at DATETIME,
                        finished_at DATETIME,
                        failure_reason TEXT,
                        in_current_spec BOOLEAN NOT NULL DEFAULT 1,
                        position INTEGER NOT NULL             -- index in the latest registration
                    );
                    CREATE INDEX trial_by_state ON trial (in_current_spec, state, position);
                    CREATE TABLE epoch (
                        trial_id TEXT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        epoch INTEGER NOT NULL,
                        metrics TEXT NOT NULL,                -- JSON EpochMetrics
                        PRIMARY KEY (trial_id, epoch)
                    ) WITHOUT ROWID;
                    CREATE TABLE result (
                        trial_id TEXT PRIMARY KEY NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        summary TEXT NOT NULL,                -- JSON TrainingSummary, no configuration if the trial's
                        worker TEXT,
                        seconds DOUBLE NOT NULL,
                        stored_at DATETIME NOT NULL
                    );
                    CREATE TABLE weights (
                        trial_id TEXT PRIMARY KEY NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        format TEXT NOT NULL,
                        bytes BLOB NOT NULL
                    );
                    -- A few validation images as the model rebuilt them after an epoch.
                    CREATE TABLE epoch_preview (
                        trial_id TEXT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        epoch INTEGER NOT NULL,
                        format TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        PRIMARY KEY (trial_id, epoch)
                    );
                    """)
        }
        migrator.registerMigration("v2-stopping-decisions") { db in
            try db.execute(
                sql: """
                    -- What an early-stopping rule decided for a trial after an epoch. With the epochs, the whole
                    -- search state: a restarted coordinator takes up the decisions of its own rule.
                    CREATE TABLE stopping_decision (
                        rule TEXT NOT NULL,                   -- EarlyStopping.description
                        trial_id TEXT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        epoch INTEGER NOT NULL,
                        unit_id TEXT NOT NULL,                -- configuration id, or trial id
                        action TEXT NOT NULL CHECK (action IN ('continue', 'stop')),
                        value DOUBLE,
                        threshold DOUBLE,
                        compared_units INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        decided_at DATETIME NOT NULL,
                        PRIMARY KEY (rule, trial_id, epoch)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-plain-parameters") { db in
            // `trial.parameters` from `{"noise.sigma":{"number":1}}` to plain JSON, `{"noise.sigma":1.0}`, which
            // `sqlite3`, pandas and jq read as they are; integers and numbers stay apart (`64`, `1.0`).
            let update = try db.makeStatement(sql: "UPDATE trial SET parameters = ? WHERE id = ?")
            for row in try Row.fetchAll(db, sql: "SELECT id, parameters FROM trial") {
                let id: String = row[0]
                let tagged: String = row[1]
                let plain: String
                do {
                    plain = try StoredJSON.plainParametersText(fromTagged: tagged)
                } catch {
                    throw StoredParameterError(
                        "trial \(id): its parameters \(tagged) are not in the form schema v2 wrote: \(error)")
                }
                try update.execute(arguments: [plain, id])
            }
        }
        migrator.registerMigration("v4-lease-tokens") { db in
            try db.execute(
                sql: """
                    -- The running attempt's lease: a random token its worker echoes in every message about the
                    -- trial, and with CURVE the public key that took it. Kept after a lease is lost, so that the
                    -- worker that still trains the trial can come back to it.
                    ALTER TABLE trial ADD COLUMN lease_token TEXT;
                    ALTER TABLE trial ADD COLUMN lease_key TEXT;
                    -- Leases that ended without word from their worker: what --max-attempts counts (a trial
                    -- handed back on purpose spends none).
                    ALTER TABLE trial ADD COLUMN lost_leases INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v5-run-settings") { db in
            try db.execute(
                sql: """
                    -- How the run was made, beyond its spec: e.g. `data_search_path`, the directories its coordinator
                    -- found the datasets in, which a later `aesweep report` searches too. The latest value wins.
                    CREATE TABLE run_setting (
                        name TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL,                  -- JSON
                        recorded_at DATETIME NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v6-change-feed") { db in
            try db.execute(
                sql: """
                    -- What changed, in commit order: the feed a live view follows (`aesweep dashboard`). Triggers fill
                    -- it in the writer's own transaction, so no writer can forget it and its order is the commits'.
                    CREATE TABLE change (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind IN ('epoch', 'preview', 'trial', 'decision')),
                        trial_id TEXT NOT NULL,
                        epoch INTEGER
                    );
                    CREATE TRIGGER epoch_stored AFTER INSERT ON epoch BEGIN
                        INSERT INTO change (kind, trial_id, epoch) VALUES ('epoch', NEW.trial_id, NEW.epoch);
                    END;
                    -- A result restates its epochs: only a value that differs is a change.
                    CREATE TRIGGER epoch_changed AFTER UPDATE OF metrics ON epoch
                    WHEN json(OLD.metrics) IS NOT json(NEW.metrics) BEGIN
                        INSERT INTO change (kind, trial_id, epoch) VALUES ('epoch', NEW.trial_id, NEW.epoch);
                    END;
                    CREATE TRIGGER preview_stored AFTER INSERT ON epoch_preview BEGIN
                        INSERT INTO change (kind, trial_id, epoch) VALUES ('preview', NEW.trial_id, NEW.epoch);
                    END;
                    -- Lease renewals are not changes; a new state or a new attempt is.
                    CREATE TRIGGER trial_changed AFTER UPDATE OF state, attempt ON trial
                    WHEN OLD.state IS NOT NEW.state OR OLD.attempt IS NOT NEW.attempt BEGIN
                        INSERT INTO change (kind, trial_id) VALUES ('trial', NEW.id);
                    END;
                    CREATE TRIGGER decision_stored AFTER INSERT ON stopping_decision BEGIN
                        INSERT INTO change (kind, trial_id, epoch) VALUES ('decision', NEW.trial_id, NEW.epoch);
                    END;
                    """)
        }
        migrator.registerMigration("v7-checkpoints") { db in
            try db.execute(
                sql: """
                    -- A paused trial's training state after a rung's epoch (a TrainingCheckpoint, safetensors): what a
                    -- promoted trial resumes from, on any worker. Stored before the pause is acknowledged; pruned when
                    -- the trial finishes or is retired.
                    CREATE TABLE checkpoint (
                        trial_id TEXT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        epoch INTEGER NOT NULL,
                        format TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        stored_at DATETIME NOT NULL,
                        PRIMARY KEY (trial_id, epoch)
                    ) WITHOUT ROWID;
                    -- What pruning removed, so that a run can say how much its checkpoints took and gave back.
                    CREATE TABLE pruned_checkpoint (
                        trial_id TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        pruned_at DATETIME NOT NULL,
                        PRIMARY KEY (trial_id, epoch)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v8-proposals") { db in
            try db.execute(
                sql: """
                    -- A model-based search's proposals (method: tpe), in the order made: the unit coordinates the
                    -- estimator proposed (exact, so that a restarted coordinator rebuilds the same observations),
                    -- the configuration they gave (NULL with the problem when they gave none) and how many
                    -- proposals had their results in when it was made. Its trials are in `trial`.
                    CREATE TABLE proposal (
                        number INTEGER PRIMARY KEY,
                        units TEXT NOT NULL,
                        configuration_id TEXT,
                        problem TEXT,
                        results_seen INTEGER NOT NULL,
                        created_at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v9-paused-trials") { db in
            // A trial may be `paused` (SQLite cannot change a CHECK: the table is rebuilt, its rows, index and
            // trigger as they were; GRDB runs migrations with foreign keys off, so nothing cascades).
            let columns = """
                id, configuration_id, configuration, parameters, seed, state, attempt, worker, lease_owner,
                lease_expires_at, created_at, started_at, finished_at, failure_reason, in_current_spec, position,
                lease_token, lease_key, lost_leases
                """
            try db.execute(
                sql: """
                    CREATE TABLE trial_v9 (
                        id TEXT PRIMARY KEY NOT NULL,
                        configuration_id TEXT NOT NULL,
                        configuration TEXT NOT NULL,
                        parameters TEXT NOT NULL,
                        seed INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'paused', 'done', 'failed', 'stopped')),
                        attempt INTEGER NOT NULL DEFAULT 0,
                        worker TEXT,
                        lease_owner TEXT,
                        lease_expires_at DATETIME,
                        created_at DATETIME NOT NULL,
                        started_at DATETIME,
                        finished_at DATETIME,
                        failure_reason TEXT,
                        in_current_spec BOOLEAN NOT NULL DEFAULT 1,
                        position INTEGER NOT NULL,
                        lease_token TEXT,
                        lease_key TEXT,
                        lost_leases INTEGER NOT NULL DEFAULT 0
                    );
                    INSERT INTO trial_v9 (\(columns)) SELECT \(columns) FROM trial;
                    DROP TABLE trial;
                    ALTER TABLE trial_v9 RENAME TO trial;
                    CREATE INDEX trial_by_state ON trial (in_current_spec, state, position);
                    CREATE TRIGGER trial_changed AFTER UPDATE OF state, attempt ON trial
                    WHEN OLD.state IS NOT NEW.state OR OLD.attempt IS NOT NEW.attempt BEGIN
                        INSERT INTO change (kind, trial_id) VALUES ('trial', NEW.id);
                    END;
                    -- A promoting rule's pauses and promotions (early_stopping mode: promote), in the order made:
                    -- with the retirements in stopping_decision, what a restarted coordinator replays.
                    CREATE TABLE promotion (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        rule TEXT NOT NULL,                   -- EarlyStopping.description
                        trial_id TEXT NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
                        rung INTEGER NOT NULL,
                        action TEXT NOT NULL CHECK (action IN ('pause', 'promote')),
                        value DOUBLE NOT NULL,
                        threshold DOUBLE,
                        kept INTEGER,
                        compared_units INTEGER,
                        reason TEXT NOT NULL,
                        decided_at DATETIME NOT NULL
                    );
                    CREATE INDEX promotion_by_trial ON promotion (trial_id, rung);
                    """)
        }
        migrator.registerMigration("v10-append-ordered-keys") { db in
            try db.execute(sql: appendOrderedKeysMigration)
        }
        return migrator
    }()

    /// Epochs and results keyed by the trial's number, not its id. A trial's id is a hash: keyed by it, every
    /// stored epoch and result went to a random page of a B-tree that grows with the run, and each commit of a
    /// few dozen results wrote as many scattered pages (its cost per result grew by half over 100,000 trials).
    /// A trial's number is the order it was first registered in, which is close to the order trials run in, so
    /// the pages a commit writes are a few adjacent ones at the end. `trial_id` stays in both tables, for
    /// `sqlite3` and pandas readers (and the change feed's triggers); `trial.number` is the rowid the trial had.
    /// The change feed's sequence loses AUTOINCREMENT: no change is ever deleted, so the rowid's max + 1 is
    /// the same number, without a write to `sqlite_sequence` for every change.
    ///
    /// GRDB runs migrations with foreign keys off; each table is rebuilt with its rows, indexes and triggers.
    static let appendOrderedKeysMigration = """
        CREATE TABLE trial_v10 (
            number INTEGER PRIMARY KEY,           -- the order the trial was first registered in
            id TEXT NOT NULL UNIQUE,
            configuration_id TEXT NOT NULL,
            configuration TEXT NOT NULL,
            parameters TEXT NOT NULL,
            seed INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'running', 'paused', 'done', 'failed', 'stopped')),
            attempt INTEGER NOT NULL DEFAULT 0,
            worker TEXT,
            lease_owner TEXT,
            lease_expires_at DATETIME,
            created_at DATETIME NOT NULL,
            started_at DATETIME,
            finished_at DATETIME,
            failure_reason TEXT,
            in_current_spec BOOLEAN NOT NULL DEFAULT 1,
            position INTEGER NOT NULL,
            lease_token TEXT,
            lease_key TEXT,
            lost_leases INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO trial_v10 (number, \(trialColumns)) SELECT rowid, \(trialColumns) FROM trial ORDER BY rowid;
        DROP TABLE trial;
        ALTER TABLE trial_v10 RENAME TO trial;
        CREATE INDEX trial_by_state ON trial (in_current_spec, state, position);

        CREATE TABLE epoch_v10 (
            trial_number INTEGER NOT NULL REFERENCES trial (number) ON DELETE CASCADE,
            epoch INTEGER NOT NULL,
            trial_id TEXT NOT NULL,               -- the trial's id, as trial_number names it
            metrics TEXT NOT NULL,                -- JSON EpochMetrics
            PRIMARY KEY (trial_number, epoch)
        ) WITHOUT ROWID;
        INSERT INTO epoch_v10 (trial_number, epoch, trial_id, metrics)
            SELECT trial.number, epoch.epoch, epoch.trial_id, epoch.metrics FROM epoch JOIN trial ON trial.id = epoch.trial_id;
        DROP TABLE epoch;
        ALTER TABLE epoch_v10 RENAME TO epoch;

        CREATE TABLE result_v10 (
            sequence INTEGER PRIMARY KEY,         -- the order results were stored in
            trial_number INTEGER NOT NULL UNIQUE REFERENCES trial (number) ON DELETE CASCADE,
            trial_id TEXT NOT NULL,               -- the trial's id, as trial_number names it
            summary TEXT NOT NULL,                -- JSON TrainingSummary
            worker TEXT,
            seconds DOUBLE NOT NULL,
            stored_at DATETIME NOT NULL
        );
        INSERT INTO result_v10 (sequence, trial_number, trial_id, summary, worker, seconds, stored_at)
            SELECT result.rowid, trial.number, result.trial_id, result.summary, result.worker, result.seconds,
                result.stored_at
            FROM result JOIN trial ON trial.id = result.trial_id ORDER BY result.rowid;
        DROP TABLE result;
        ALTER TABLE result_v10 RENAME TO result;

        DROP TRIGGER preview_stored;              -- on other tables, into the change table rebuilt here
        DROP TRIGGER decision_stored;
        CREATE TABLE change_v10 (
            sequence INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('epoch', 'preview', 'trial', 'decision')),
            trial_id TEXT NOT NULL,
            epoch INTEGER
        );
        INSERT INTO change_v10 (sequence, kind, trial_id, epoch) SELECT sequence, kind, trial_id, epoch FROM change;
        DROP TABLE change;
        ALTER TABLE change_v10 RENAME TO change;

        CREATE TRIGGER epoch_stored AFTER INSERT ON epoch BEGIN
            INSERT INTO change (kind, trial_id, epoch) VALUES ('epoch', NEW.trial_id, NEW.epoch);
        END;
        CREATE TRIGGER epoch_changed AFTER UPDATE OF metrics ON epoch
        WHEN json(OLD.metrics) IS NOT json(NEW.metrics) BEGIN
            INSERT INTO change (kind, trial_id, epoch) VALUES ('epoch', NEW.trial_id, NEW.epoch);
        END;
        CREATE TRIGGER preview_stored AFTER INSERT ON epoch_preview BEGIN
            INSERT INTO change (kind, trial_id, epoch) VALUES ('preview', NEW.trial_id, NEW.epoch);
        END;
        CREATE TRIGGER trial_changed AFTER UPDATE OF state, attempt ON trial
        WHEN OLD.state IS NOT NEW.state OR OLD.attempt IS NOT NEW.attempt BEGIN
            INSERT INTO change (kind, trial_id) VALUES ('trial', NEW.id);
        END;
        CREATE TRIGGER decision_stored AFTER INSERT ON stopping_decision BEGIN
            INSERT INTO change (kind, trial_id, epoch) VALUES ('decision', NEW.trial_id, NEW.epoch);
        END;
        """

    /// The trial table's columns before v10 (which adds `number`).
    private static let trialColumns = """
        id, configuration_id, configuration, parameters, seed, state, attempt, worker, lease_owner, lease_expires_at,
        created_at, started_at, finished_at, failure_reason, in_current_spec, position, lease_token, lease_key,
        lost_leases
        """

    /// Puts the store in WAL mode and applies the migrations not yet applied. Another process may be doing
    /// the same at the same moment (a sweep creating its store while `aesweep rank` opens it): switching to
    /// WAL then finds the file locked, or both attempt one migration and the later one's transaction fails
    /// and rolls back (each commits together with its identifier, so none is applied twice). Either way it
    /// tries again from the top, which rereads what is applied (ten attempts within about half a second).
    static func prepareSchema(_ queue: DatabaseQueue) throws {
        for attempt in 1... {
            do {
                try queue.writeWithoutTransaction { db in
                    // Readers in other processes do not block the coordinator's writes, nor it them.
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.backstopPages)")
                    try db.execute(sql: "PRAGMA journal_size_limit = \(WALCheckpointer.logSizeLimit)")
                }
                try migrator.migrate(queue)
                return
            } catch {
                if attempt >= 10 { throw error }
                Thread.sleep(forTimeInterval: 0.01 * Double(attempt))
            }
        }
    }

    /// Throws unless the database is empty or a store this program can read; writes nothing.
    static func checkSchema(of queue: DatabaseQueue, file: String) throws(StoreError) {
        do {
            try queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                guard !tables.isEmpty else { return }
                // Another process creating the store has made the migrations' table and not yet committed the
                // first migration: a store being created, not a foreign database.
                if tables == ["grdb_migrations"],
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") == 0
                {
                    return
                }
                let identifier = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard identifier == applicationID, tables.contains("trial"), tables.contains("grdb_migrations") else {
                    throw StoreError.foreignDatabase(
                        file: file, reason: "it holds the tables \(tables.joined(separator: ", ")) but no aesweep trials")
                }
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                guard unknown.isEmpty else { throw StoreError.newerSchema(file: file, unknownVersions: unknown.sorted()) }
            }
        } catch {
            throw StoreError(error, file: file, operation: "reading the schema")
        }
    }

    /// Creates at `path` a store as an older aesweep left it: only the migrations up to `version` applied,
    /// then `sql` run (e.g. rows in an older form). For tests of the later migrations.
    static func createStoreForTesting(at path: String, upTo version: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: version)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// The rows `sql` returns from the database at `path`, each column as text (nil for NULL). For tests that
    /// look at what the store holds, as `sqlite3` would show it.
    static func textRowsForTesting(_ sql: String, inDatabaseAt path: String) throws -> [[String?]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in (0..<row.count).map { row[$0] as String? } }
        }
    }

    /// The steps of SQLite's plan for `sql` on the database at `path` (`EXPLAIN QUERY PLAN`'s details, e.g.
    /// `SEARCH trial USING INDEX …`). For tests that a query uses the keys it is written for.
    static func queryPlanForTesting(_ sql: String, inDatabaseAt path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        // Parameters are left unbound (NULL): the plan does not depend on their values.
        return try queue.read { db in
            let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
            statement.setUncheckedArguments(StatementArguments())
            return try Row.fetchAll(statement).map { $0["detail"] }
        }
    }

    /// For tests only: runs `sql` on any SQLite file, bypassing every check (to build foreign or future stores).
    static func executeUncheckedForTesting(_ sql: String, inDatabaseAt path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
