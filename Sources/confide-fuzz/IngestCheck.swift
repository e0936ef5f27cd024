import ConfideCSV
import ConfideIngest
import ConfideModel
import ConfideSchema
import ConfideStore
import Foundation

/// One fuzz input through a whole ingest: reading, transcoding, parsing, validation,
/// pseudonymisation and the store, into a private in-memory store.
///
/// The first byte chooses which canonical file the rest of the input becomes (the other two
/// are small valid files), and the encoding, separator and date order the source declares. The
/// input is handled when the ingest refuses it as unusable (`IngestError`, a documented exit
/// code) or when it loads with every file reconciled (read = loaded + quarantined). Anything
/// else (a crash, another error, a file that does not add up) is a finding.
enum IngestCheck {
    /// The folder the three files are written to, one per process.
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-fuzz-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private static let key = try! PracticeKey(bytes: Array(repeating: 7, count: 32))

    /// The files that are not the one being fuzzed: valid, small, linked to each other.
    private static let valid: [CanonicalFile: String] = [
        .referrals: "referral_id,client_id,received_date,gender,ethnicity,referral_source,presenting_problem\n"
            + "R1,C1,2026-01-05,female,white,gp,depression\nR2,C2,2026-01-12,male,asian,self,gad\n",
        .appointments: "appointment_id,referral_id,therapist_id,date,kind,status,modality,delivery\n"
            + "A1,R1,T1,2026-01-19,assessment,attended,cbt,video\nA2,R2,T2,2026-01-20,treatment,dna,emdr,phone\n",
        .measures: "referral_id,date,instrument,score\nR1,2026-01-19,phq9,14\nR2,2026-01-20,gad7,9\n",
    ]
    private static let separators: [UInt8?] = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

    /// What went wrong with `input`, or nil when it was handled.
    static func failure(_ input: UnsafeBufferPointer<UInt8>) -> String? {
        guard let selector = input.first.map(Int.init) else { return nil }
        let fuzzed = CanonicalFile.allCases[selector % 3]
        do {
            for file in CanonicalFile.allCases {
                let bytes = file == fuzzed ? Data(input.dropFirst()) : Data(valid[file]!.utf8)
                try bytes.write(to: URL(fileURLWithPath: folder + "/" + file.rawValue + ".csv"))
            }
        } catch {
            return nil   // the fuzzer's machine, not confide: nothing to learn from this input
        }
        let source = ExportSource(path: folder, dateOrder: DateOrder.allCases[selector / 3 % 3],
                                  encoding: TextEncoding.allCases[selector / 9 % 4], separator: separators[selector / 36 % 4])
        do {
            let db = try Database(path: ":memory:")
            try Schema.migrator.migrate(db)
            let ingestor = Ingestor(key: key, timeZone: TimeZone(identifier: "Europe/London")!)
            let report = try ingestor.ingest(source, into: db, startedAt: "2026-11-26T00:00:00Z")
            for file in report.files + report.waiting where !file.isReconciled {
                return "\(file.file): read \(file.read) ≠ loaded \(file.loaded) + quarantined \(file.quarantined)"
            }
            return nil
        } catch is IngestError {
            return nil
        } catch {
            return "unexpected \(type(of: error)): \(error)"
        }
    }
}
