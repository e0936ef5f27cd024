import ConfidePostgres
import ConfideStore
import Foundation
import Testing

/// The sharded layout of docs/scaling.md, step for step, on three loopback servers (a
/// coordinator and two shards): rows routed to the shard of their client; the coordinator's
/// partitioned tables answer as one server; and each shard's partial histogram (per client,
/// bounded, summed on the shard: no client leaves it) added up across shards is the same
/// histogram.
@Suite("PostgreSQL sharding (docs/scaling.md)", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresShardingTests {
    /// The columns of docs/scaling.md's sharded tables (the store's, with `client_id` leading).
    static let referrals = """
        client_id BYTEA NOT NULL, referral_key BIGINT NOT NULL, referral_id BYTEA NOT NULL, received_date TEXT NOT NULL,
        end_date TEXT, presenting_problem TEXT NOT NULL
        """
    static let appointments = """
        client_id BYTEA NOT NULL, referral_key BIGINT NOT NULL, appointment_id BYTEA NOT NULL, therapist_id TEXT NOT NULL,
        date TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL
        """

    /// A week's appointments by therapist and status, each client counted at most twice per cell.
    static func boundedAppointments(_ appointments: String) -> String { """
        SELECT therapist_id, status, sum(least(n, 2)) AS bounded, count(*) AS clients FROM (
            SELECT client_id, therapist_id, status, count(*) AS n FROM \(appointments)
            WHERE date BETWEEN '2026-11-16' AND '2026-11-22' GROUP BY client_id, therapist_id, status) per_client
        GROUP BY therapist_id, status ORDER BY therapist_id, status
        """ }

    /// Open referrals at a day's end by presenting problem and whether they had an attended
    /// contact: a join of a client's referrals with its contacts, per client, then summed.
    static func openReferrals(_ referrals: String, _ appointments: String) -> String { """
        SELECT presenting_problem, seen, count(*) FROM (
            SELECT r.client_id, r.referral_key, r.presenting_problem, count(a.appointment_id) > 0 AS seen
            FROM \(referrals) r LEFT JOIN \(appointments) a
                ON a.client_id = r.client_id AND a.referral_key = r.referral_key AND a.status = 'attended'
            WHERE r.received_date <= '2026-11-22' AND (r.end_date IS NULL OR r.end_date > '2026-11-22')
            GROUP BY r.client_id, r.referral_key, r.presenting_problem) per_referral
        GROUP BY presenting_problem, seen ORDER BY presenting_problem, seen
        """ }

    @Test func aShardedStoreAnswersAsOneServerWithTheWorkDoneOnTheShards() throws {
        #expect(PostgresTestServer.urls.count >= 3, "three servers: a coordinator and two shards")
        guard PostgresTestServer.urls.count >= 3 else { return }
        let name = "net_\(UUID().uuidString.prefix(8).lowercased())"
        // Step 1: on each shard, the tables of its partition, keyed with the client first.
        var shards: [(PostgresConnection, address: String)] = []
        for index in 1...2 {
            let server = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: "postgres", server: index)))
            try server.execute("CREATE DATABASE \(name)")
            let shard = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: name, server: index)))
            try shard.execute("""
                CREATE TABLE referrals_part (\(Self.referrals), PRIMARY KEY (client_id, referral_key));
                CREATE TABLE appointments_part (\(Self.appointments), PRIMARY KEY (client_id, date, appointment_id));
                """)
            let address = PostgresTestServer.address(of: PostgresTestServer.urls[index])
            shards.append((shard, address))
        }
        // Step 2: on the coordinator, postgres_fdw, a server and user mapping a shard, and each
        // table partitioned by the hash of the client pseudonym, a partition a shard.
        let admin = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: "postgres")))
        try admin.execute("CREATE DATABASE \(name)")
        let coordinator = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: name)))
        try coordinator.execute("""
            CREATE EXTENSION postgres_fdw;
            CREATE TABLE referrals (\(Self.referrals)) PARTITION BY HASH (client_id);
            CREATE TABLE appointments (\(Self.appointments)) PARTITION BY HASH (client_id);
            """)
        let password = try shardPassword()
        for (index, shard) in shards.enumerated() {
            let parts = shard.address.components(separatedBy: ":")
            try coordinator.execute("""
                CREATE SERVER shard_\(index + 1) FOREIGN DATA WRAPPER postgres_fdw
                    OPTIONS (host '\(parts[0])', port '\(parts[1])', dbname '\(name)', fetch_size '10000', async_capable 'true');
                CREATE USER MAPPING FOR CURRENT_USER SERVER shard_\(index + 1) OPTIONS (user 'confide', password '\(password)');
                CREATE FOREIGN TABLE referrals_\(index + 1) PARTITION OF referrals FOR VALUES WITH (MODULUS 2, REMAINDER \(index))
                    SERVER shard_\(index + 1) OPTIONS (table_name 'referrals_part');
                CREATE FOREIGN TABLE appointments_\(index + 1) PARTITION OF appointments FOR VALUES WITH (MODULUS 2, REMAINDER \(index))
                    SERVER shard_\(index + 1) OPTIONS (table_name 'appointments_part');
                """)
        }
        // The same rows into the coordinator (routed to the shards) and into one plain server.
        try admin.execute("CREATE DATABASE \(name)_single")
        let single = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: "\(name)_single")))
        try single.execute("""
            CREATE TABLE referrals (\(Self.referrals), PRIMARY KEY (client_id, referral_key));
            CREATE TABLE appointments (\(Self.appointments), PRIMARY KEY (client_id, date, appointment_id));
            """)
        let practice = SyntheticRows(seed: 18, clients: 400)
        for db in [coordinator, single] {
            try db.transaction { db in
                _ = try db.copy(into: "referrals", columns: ["client_id", "referral_key", "referral_id", "received_date", "end_date", "presenting_problem"]) { copy in
                    for row in practice.referrals { copy.append(row) }
                }
                _ = try db.copy(into: "appointments", columns: ["client_id", "referral_key", "appointment_id", "therapist_id", "date", "kind", "status"]) { copy in
                    for row in practice.appointments { copy.append(row) }
                }
            }
            try db.execute("ANALYZE referrals; ANALYZE appointments")
        }
        // Every client's rows on one shard, every row on some shard.
        var onShards = 0
        var clientsSeen: Set<String> = []
        for (shard, _) in shards {
            let rows = try #require(try shard.scalarInt("SELECT count(*) FROM appointments_part"))
            #expect(rows > 0, "both shards hold rows")
            onShards += rows
            let clients = Set(try shard.query("SELECT DISTINCT encode(client_id, 'hex') FROM referrals_part").map { $0.string(0) })
            #expect(clientsSeen.isDisjoint(with: clients), "a client on two shards")
            clientsSeen.formUnion(clients)
        }
        #expect(onShards == practice.appointments.count)
        #expect(clientsSeen.count == practice.clients)

        // The coordinator's partitioned tables answer as one server.
        try coordinator.execute("SET enable_partitionwise_aggregate = on; SET enable_partitionwise_join = on")
        for query in [Self.boundedAppointments("appointments"), Self.openReferrals("referrals", "appointments")] {
            let answer = try coordinator.query(query)
            #expect(!answer.isEmpty)
            #expect(answer == (try single.query(query)), "the sharded store answers as one server")
        }
        // Step 3: each shard computes its partial histogram from its own partition (per client,
        // bounded, then summed: only cells and counts leave it); the partials add up to the
        // whole, because a client's rows are all on one shard.
        for (whole, partial) in [(Self.boundedAppointments("appointments"), Self.boundedAppointments("appointments_part")),
                                 (Self.openReferrals("referrals", "appointments"), Self.openReferrals("referrals_part", "appointments_part"))] {
            var summed: [[String]: [Int]] = [:]
            for (shard, _) in shards {
                for row in try shard.query(partial) {
                    let cell = row.fields.prefix { Int($0 ?? "") == nil }.map { $0 ?? "" }
                    let counts = row.fields.dropFirst(cell.count).map { Int($0!)! }
                    summed[cell] = zip(summed[cell] ?? Array(repeating: 0, count: counts.count), counts).map(+)
                }
            }
            var expected: [[String]: [Int]] = [:]
            for row in try single.query(whole) {
                let cell = row.fields.prefix { Int($0 ?? "") == nil }.map { $0 ?? "" }
                expected[cell] = row.fields.dropFirst(cell.count).map { Int($0!)! }
            }
            #expect(!expected.isEmpty)
            #expect(summed == expected, "the shards' partial histograms add up to one server's")
        }
    }

    /// The superuser password of the test servers (their password file), for the coordinator's
    /// user mappings. A network keeps it in the coordinator's catalogue (docs/scaling.md).
    private func shardPassword() throws -> String {
        let text = try String(contentsOfFile: PostgresTestServer.passwordFile, encoding: .utf8)
        return try #require(text.split(separator: "\n").first?.split(separator: ":").last.map(String.init))
    }
}

/// Seeded synthetic referrals and appointments: each client one or two referrals, a few
/// contacts each across three weeks.
struct SyntheticRows {
    var referrals: [[DatabaseValueConvertible]] = []
    var appointments: [[DatabaseValueConvertible]] = []
    let clients: Int

    init(seed: UInt64, clients: Int) {
        self.clients = clients
        var random = SplitMix(seed: seed)
        var key = 0
        var appointment = 0
        let problems = ["depression", "anxiety", "ptsd"], statuses = ["attended", "attended", "did_not_attend", "cancelled"]
        for client in 0..<clients {
            let clientID = DatabaseValue.blob(Self.id(1, client))
            for _ in 0...(random.next() % 2) {
                key += 1
                let ended = random.next() % 3 == 0
                referrals.append([clientID, key, DatabaseValue.blob(Self.id(2, key)), "2026-1\(random.next() % 2)-0\(1 + random.next() % 9)",
                                  ended ? "2026-11-\(10 + random.next() % 20)" : Optional<String>.none,
                                  problems[Int(random.next() % 3)]])
                for _ in 0..<(random.next() % 6) {
                    appointment += 1
                    appointments.append([clientID, key, DatabaseValue.blob(Self.id(3, appointment)), "T\(random.next() % 4)",
                                         "2026-11-\(9 + random.next() % 20)", "treatment", statuses[Int(random.next() % 4)]])
                }
            }
        }
    }

    private static func id(_ kind: UInt8, _ number: Int) -> [UInt8] {
        [kind] + withUnsafeBytes(of: UInt64(number).bigEndian, Array.init)
    }
}

/// SplitMix64: a seeded generator for test data.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
