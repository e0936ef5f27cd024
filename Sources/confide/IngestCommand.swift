import ArgumentParser
import ConfideIngest
import ConfidePipeline

/// `confide ingest`.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load the configured exports into the store, pseudonymised; print the reconciliation per file.",
        discussion: "Every row is loaded or quarantined (file, line, column, reason). Exits non-zero only when the input is unusable.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the reconciliation as one JSON object.")
    var json = false

    func run() throws {
        let configuration = try options.load()
        let report = try failing {
            try Workspace.loggedIngest(configuration, logger: makeLogger(quiet: json), showsProgress: !json)
        }
        if json {
            print(jsonText(IngestJSON.object(report)))
        } else {
            for file in report.files + report.waiting {
                print("\(file.file): read \(file.read), loaded \(file.loaded) (new \(file.inserted), updated \(file.updated), unchanged \(file.unchanged)), quarantined \(file.quarantined)" + file.erasedText)
                for (reason, count) in file.reasons.sorted(by: { $0.key < $1.key }) { print("  quarantined \(reason): \(count)") }
                for column in file.droppedColumns { print("  dropped column \(column.name)\(column.looksIdentifying ? " (looks identifying)" : "")") }
                for (field, count) in file.outOfVocabulary.sorted(by: { $0.key < $1.key }) { print("  \(field): \(count) values outside the vocabulary stored as the fallback") }
                if file.restricted > 0 { print("  restricted: \(file.restricted) loaded rows marked restricted (counted in practice-wide figures only)") }
                if let encoding = file.encoding, encoding != "utf-8" { print("  read as \(encoding)") }
                if file.replaced > 0 { print("  replaced \(file.replaced) stored scores by the export's (re-dated scores)") }
                if let missing = file.missingFromSnapshot, missing > 0 {
                    print("  missing from snapshot: \(missing) stored rows this export no longer holds" + (file.deleted > 0 ? "" : " (kept; [source] snapshot_deletes = true removes them)"))
                }
                if file.deleted > 0 { print("  deleted \(file.deleted) stored rows this export no longer holds") }
            }
            if let missing = report.missingFromSnapshot {
                print("missing from snapshot: \(missing) stored referrals not loaded by this export (kept, not deleted)")
            }
        }
    }
}

extension FileReport {
    /// `, expired N, forgotten N` when a file had rows of expired referrals or forgotten
    /// clients, else nothing: the rest of a reconciliation line (read = loaded + quarantined +
    /// expired + forgotten).
    var erasedText: String {
        expired == 0 && forgotten == 0 ? "" : ", expired \(expired), forgotten \(forgotten)"
    }
}

/// The `--json` shape of an ingest report.
enum IngestJSON {
    static func object(_ report: IngestReport) -> [String: Any] {
        var object: [String: Any] = ["run_id": report.runID, "mode": report.mode, "files": report.files.map(file),
                                     "waiting": report.waiting.map(file)]
        if let missing = report.missingFromSnapshot { object["missing_from_snapshot"] = missing }
        return object
    }

    static func file(_ file: FileReport) -> [String: Any] {
        var object: [String: Any] = ["file": file.file, "read": file.read, "loaded": file.loaded, "quarantined": file.quarantined,
             "expired": file.expired, "forgotten": file.forgotten, "restricted": file.restricted,
             "deleted": file.deleted, "replaced": file.replaced,
             "inserted": file.inserted, "updated": file.updated, "unchanged": file.unchanged, "reasons": file.reasons,
             "dropped_columns": file.droppedColumns.map { ["name": $0.name, "looks_identifying": $0.looksIdentifying] as [String: Any] },
             "out_of_vocabulary": file.outOfVocabulary]
        if let encoding = file.encoding { object["encoding"] = encoding }
        if let missing = file.missingFromSnapshot { object["missing_from_snapshot"] = missing }
        return object
    }
}
